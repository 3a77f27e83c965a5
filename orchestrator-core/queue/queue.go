package queue

import (
	"cmp"
	"slices"
)

// mutant selects a deliberately broken behaviour. It is always zero
// outside tests; export_test.go sets it to show that the property tests
// catch each fault.
var mutant int

// Faults that mutant can select.
const (
	mutEvictNewest = iota + 1 // evict the newest task instead of the oldest
	mutShedEqual              // shed-low-priority may evict its own rank
	mutNoPoolCap              // ignore the pool capacity
)

// none marks the end of a list.
const none int32 = -1

// MaxClasses is the largest number of classes a queue accepts, so that the
// set of backlogged classes fits in a uint64 (see [Queue.Backlog]).
const MaxClasses = 64

// node is one slot of the node arena. A live node is linked into its
// class list through prev and next; a free node is linked into the free
// list through next.
type node[T any] struct {
	item       Item[T]
	prev, next int32
}

// fifo is an intrusive doubly linked list of arena indices.
type fifo struct {
	head, tail int32
	n          int
}

// Queue is a set of bounded per-class FIFOs sharing a pool capacity. It is
// not safe for concurrent use; the Pool guards it with its mutex.
//
// Tasks live in an arena ([]node) linked into one list per class; freed
// nodes go to a free list and are reused, so a steady state allocates
// nothing. An id index (map id -> arena slot) serves lookups for cancel and
// duplicate checks; it is never iterated.
type Queue[T any] struct {
	classes []Class // by rank, highest first
	byName  map[string]int
	lists   []fifo
	nodes   []node[T]
	free    int32
	index   map[string]int32
	total   int
	cap     int
	policy  Policy
	quota   quotas
}

// New returns an empty queue. Classes are ordered by rank, highest first;
// every class index used by the queue refers to that order.
func New[T any](cfg Config) (*Queue[T], error) {
	if err := validate(cfg); err != nil {
		return nil, err
	}
	cs := slices.Clone(cfg.Classes)
	slices.SortStableFunc(cs, func(a, b Class) int { return cmp.Compare(b.Rank, a.Rank) })
	q := &Queue[T]{
		classes: cs,
		byName:  make(map[string]int, len(cs)),
		lists:   make([]fifo, len(cs)),
		free:    none,
		index:   make(map[string]int32),
		cap:     cfg.Capacity,
		policy:  cfg.Policy,
		quota:   newQuotas(cfg.Quotas),
	}
	for i, c := range cs {
		q.byName[c.Name] = i
		q.lists[i] = fifo{head: none, tail: none}
	}
	return q, nil
}

func validate(cfg Config) error {
	if len(cfg.Classes) == 0 || len(cfg.Classes) > MaxClasses {
		return errorf(Invalid, "need 1..%d classes, got %d", MaxClasses, len(cfg.Classes))
	}
	if cfg.Capacity < 0 {
		return errorf(Invalid, "negative pool capacity %d", cfg.Capacity)
	}
	if int(cfg.Policy) >= len(policyNames) {
		return errorf(Invalid, "unknown policy %d", cfg.Policy)
	}
	names := map[string]bool{}
	ranks := map[int]bool{}
	for _, c := range cfg.Classes {
		switch {
		case c.Name == "":
			return errorf(Invalid, "class with empty name")
		case names[c.Name]:
			return errorf(Invalid, "duplicate class %q", c.Name)
		case ranks[c.Rank]:
			return errorf(Invalid, "class %q repeats rank %d", c.Name, c.Rank)
		case c.Weight < 1:
			return errorf(Invalid, "class %q weight %d < 1", c.Name, c.Weight)
		case c.Capacity < 1:
			return errorf(Invalid, "class %q capacity %d < 1", c.Name, c.Capacity)
		case c.TTLMs < 0:
			return errorf(Invalid, "class %q ttl_ms %d < 0", c.Name, c.TTLMs)
		}
		names[c.Name], ranks[c.Rank] = true, true
	}
	seen := map[string]bool{}
	for _, qu := range cfg.Quotas {
		switch {
		case qu.Tenant == "":
			return errorf(Invalid, "quota with empty tenant")
		case seen[qu.Tenant]:
			return errorf(Invalid, "duplicate quota for %q", qu.Tenant)
		case qu.MaxQueued < 0 || qu.MaxInFlight < 0:
			return errorf(Invalid, "negative quota for %q", qu.Tenant)
		}
		seen[qu.Tenant] = true
	}
	return nil
}

// Classes returns the classes ordered by rank, highest first. The caller
// must not modify the slice.
func (q *Queue[T]) Classes() []Class { return q.classes }

// Class returns the index of the named class.
func (q *Queue[T]) Class(name string) (int, bool) {
	i, ok := q.byName[name]
	return i, ok
}

// Policy returns the admission policy.
func (q *Queue[T]) Policy() Policy { return q.policy }

// Len returns the number of queued tasks.
func (q *Queue[T]) Len() int { return q.total }

// ClassLen returns the number of queued tasks of class index i (0 when i
// is out of range).
func (q *Queue[T]) ClassLen(i int) int {
	if i < 0 || i >= len(q.lists) {
		return 0
	}
	return q.lists[i].n
}

// Backlog returns the set of non-empty classes as a bit set: bit i is set
// when class index i has queued tasks. It scans classes, never tasks.
func (q *Queue[T]) Backlog() uint64 {
	var b uint64
	for i := range q.lists {
		if q.lists[i].n > 0 {
			b |= 1 << i
		}
	}
	return b
}

// Get returns the queued task with the given id.
func (q *Queue[T]) Get(id string) (Item[T], bool) {
	x, ok := q.index[id]
	if !ok {
		return Item[T]{}, false
	}
	return q.nodes[x].item, true
}

// Enqueue offers a task to the queue. Bad input (empty id, unknown class,
// duplicate id) returns an *Error and changes nothing. Otherwise the
// Outcome says whether the task was admitted, admitted by evicting another
// task, or refused (the queue is then unchanged). O(1): choosing a victim
// scans classes, never tasks.
func (q *Queue[T]) Enqueue(id, class, tenant string, v T) (Outcome[T], error) {
	ci, ok := q.byName[class]
	if !ok {
		return Outcome[T]{}, errorf(UnknownClass, "unknown class %q", class)
	}
	if id == "" {
		return Outcome[T]{}, errorf(Invalid, "empty task id")
	}
	if _, dup := q.index[id]; dup {
		return Outcome[T]{}, errorf(DuplicateID, "task %q is already queued", id)
	}
	if name := q.quota.refuse(tenant); name != "" {
		return Outcome[T]{Status: Refused, Code: QuotaExceeded, Quota: name}, nil
	}
	out := Outcome[T]{Status: Admitted}
	classFull := q.lists[ci].n >= q.classes[ci].Capacity
	poolFull := q.cap > 0 && q.total >= q.cap && mutant != mutNoPoolCap
	if classFull || poolFull {
		victim, code := q.victim(ci, classFull)
		if victim < 0 {
			return Outcome[T]{Status: Refused, Code: QueueFull}, nil
		}
		x := q.lists[victim].head
		if mutant == mutEvictNewest {
			x = q.lists[victim].tail
		}
		out = Outcome[T]{Status: Evicting, Code: code, Evicted: q.remove(x)}
	}
	q.push(ci, Item[T]{ID: id, Tenant: tenant, Class: ci, Value: v})
	return out, nil
}

// victim picks the class whose oldest task makes room for a newcomer of
// class ci, or -1 to refuse, exactly as OC-CORE-1002 words each policy.
func (q *Queue[T]) victim(ci int, classFull bool) (int, Code) {
	switch q.policy {
	case DropLRU:
		if classFull {
			return ci, DroppedLRU
		}
		for i := len(q.lists) - 1; i >= 0; i-- { // lowest rank first
			if q.lists[i].n > 0 {
				return i, DroppedLRU
			}
		}
	case ShedLow:
		if classFull {
			return -1, ""
		}
		// Indices above ci are the classes ranked strictly below it.
		lo := ci + 1
		if mutant == mutShedEqual {
			lo = ci
		}
		for i := len(q.lists) - 1; i >= lo; i-- {
			if q.lists[i].n > 0 {
				return i, Shed
			}
		}
	}
	return -1, ""
}

// Peek returns the oldest task of class index i without removing it.
func (q *Queue[T]) Peek(i int) (Item[T], bool) {
	if i < 0 || i >= len(q.lists) || q.lists[i].n == 0 {
		return Item[T]{}, false
	}
	return q.nodes[q.lists[i].head].item, true
}

// Oldest returns the task of class index i that arrived first. With FIFO
// order it is the head (Peek).
func (q *Queue[T]) Oldest(i int) (Item[T], bool) { return q.Peek(i) }

// Dequeue removes and returns the oldest task of class index i.
func (q *Queue[T]) Dequeue(i int) (Item[T], bool) {
	if i < 0 || i >= len(q.lists) || q.lists[i].n == 0 {
		return Item[T]{}, false
	}
	return q.remove(q.lists[i].head), true
}

// errNotQueued is shared so that a cancel that finds nothing allocates
// nothing.
var errNotQueued = &Error{Code: NotFound, Msg: "task is not queued"}

// Cancel removes the queued task with the given id in O(1). An id that is
// not queued returns an *Error with code NOT_FOUND and changes nothing, so
// a repeated cancel is harmless.
func (q *Queue[T]) Cancel(id string) (Item[T], error) {
	x, ok := q.index[id]
	if !ok {
		return Item[T]{}, errNotQueued
	}
	return q.remove(x), nil
}

// IDs returns the ids queued in class index i, oldest first. It walks the
// class list (O(n)); it is for inspection, never for a decision.
func (q *Queue[T]) IDs(i int) []string {
	if i < 0 || i >= len(q.lists) {
		return nil
	}
	ids := make([]string, 0, q.lists[i].n)
	for x := q.lists[i].head; x != none; x = q.nodes[x].next {
		ids = append(ids, q.nodes[x].item.ID)
	}
	return ids
}
