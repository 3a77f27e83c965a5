package lru

import "orchcore.dev/orchestrator-core/internal/churn"

// List is a bounded table with least-recently-used eviction.
type List[V any] struct {
	max     int
	m       churn.Map[string, *node[V]]
	old     *node[V] // least recent
	young   *node[V] // most recent
	onEvict func(key string, v V)
}

type node[V any] struct {
	key          string
	v            V
	older, newer *node[V]
}

// New returns a list holding at most bound entries (at least 1); onEvict,
// when not nil, is called for each entry Put evicts.
func New[V any](bound int, onEvict func(key string, v V)) *List[V] {
	return &List[V]{max: max(bound, 1), onEvict: onEvict}
}

// Len returns the number of entries.
func (l *List[V]) Len() int { return l.m.Len() }

// Get returns the value of key without changing the order.
func (l *List[V]) Get(key string) (V, bool) {
	if n, ok := l.m.Get(key); ok {
		return n.v, true
	}
	var zero V
	return zero, false
}

// Put sets key to v and makes it the most recent, then evicts the least
// recent entries while the list holds more than its bound.
func (l *List[V]) Put(key string, v V) {
	if n, ok := l.m.Get(key); ok {
		n.v = v
		l.toYoung(n)
		return
	}
	n := &node[V]{key: key, v: v}
	l.m.Set(key, n)
	l.link(n)
	for l.m.Len() > l.max {
		o := l.old
		l.unlink(o)
		l.m.Delete(o.key)
		if l.onEvict != nil {
			l.onEvict(o.key, o.v)
		}
	}
}

// Touch makes key the most recent; false when it is not in the list.
func (l *List[V]) Touch(key string) bool {
	n, ok := l.m.Get(key)
	if ok {
		l.toYoung(n)
	}
	return ok
}

// Delete removes key (no eviction function is called).
func (l *List[V]) Delete(key string) {
	if n, ok := l.m.Get(key); ok {
		l.unlink(n)
		l.m.Delete(key)
	}
}

// Oldest returns the least recent key.
func (l *List[V]) Oldest() (string, bool) {
	if l.old == nil {
		return "", false
	}
	return l.old.key, true
}

func (l *List[V]) toYoung(n *node[V]) {
	if l.young != n {
		l.unlink(n)
		l.link(n)
	}
}

func (l *List[V]) link(n *node[V]) {
	n.older, n.newer = l.young, nil
	if l.young != nil {
		l.young.newer = n
	} else {
		l.old = n
	}
	l.young = n
}

func (l *List[V]) unlink(n *node[V]) {
	if n.older != nil {
		n.older.newer = n.newer
	} else {
		l.old = n.newer
	}
	if n.newer != nil {
		n.newer.older = n.older
	} else {
		l.young = n.older
	}
	n.older, n.newer = nil, nil
}
