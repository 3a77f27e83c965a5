package queue_test

import (
	"cmp"
	"slices"

	"orchcore.dev/orchestrator-core/queue"
)

// model is the plain reference for Queue: one slice per class, linear
// scans everywhere, the policies written straight from OC-CORE-1002.
type model struct {
	classes  []queue.Class // by rank, highest first
	lists    [][]mItem
	cap      int
	capTok   int64
	policy   queue.Policy
	quotas   []queue.Quota
	inflight []mItem // dispatched and not done
	// turns[ci] is a round-robin class's rotation: its tenants with
	// queued tasks, the one served next first.
	turns [][]string
}

type mItem struct {
	id, tenant string
	cost       int64
}

// mOutcome is what the model expects from one Enqueue.
type mOutcome struct {
	err     queue.Code // input error code, or ""
	status  queue.Status
	code    queue.Code
	quota   string
	evicted []string
}

func newModel(cfg queue.Config) *model {
	cs := slices.Clone(cfg.Classes)
	slices.SortFunc(cs, func(a, b queue.Class) int { return cmp.Compare(b.Rank, a.Rank) })
	return &model{classes: cs, lists: make([][]mItem, len(cs)), cap: cfg.Capacity, capTok: cfg.CapacityTokens,
		policy: cfg.Policy, quotas: cfg.Quotas, turns: make([][]string, len(cs))}
}

func (m *model) class(name string) int {
	for i, c := range m.classes {
		if c.Name == name {
			return i
		}
	}
	return -1
}

func (m *model) total() int {
	n := 0
	for _, l := range m.lists {
		n += len(l)
	}
	return n
}

func (m *model) has(id string) bool {
	for _, l := range m.lists {
		for _, it := range l {
			if it.id == id {
				return true
			}
		}
	}
	return false
}

func (m *model) usage(tenant string) (queued, inflight int) {
	if len(m.quotas) == 0 {
		return 0, 0
	}
	for _, l := range m.lists {
		for _, it := range l {
			if it.tenant == tenant {
				queued++
			}
		}
	}
	for _, it := range m.inflight {
		if it.tenant == tenant {
			inflight++
		}
	}
	return queued, inflight
}

func (m *model) quota(tenant string) (queue.Quota, bool) {
	for _, q := range m.quotas {
		if q.Tenant == tenant {
			return q, true
		}
	}
	for _, q := range m.quotas {
		if q.Tenant == "*" {
			return q, true
		}
	}
	return queue.Quota{}, false
}

func (m *model) tokens(lists ...[]mItem) (n int64) {
	for _, l := range lists {
		for _, it := range l {
			n += it.cost
		}
	}
	return n
}

// over reports whether a newcomer of class ci and cost would exceed a
// count or token capacity of its class or of the pool.
func (m *model) over(ci int, cost int64) (class, pool bool) {
	c := m.classes[ci]
	class = len(m.lists[ci]) >= c.Capacity || (c.CapacityTokens > 0 && m.tokens(m.lists[ci])+cost > c.CapacityTokens)
	pool = (m.cap > 0 && m.total() >= m.cap) || (m.capTok > 0 && m.tokens(m.lists...)+cost > m.capTok)
	return class, pool
}

func (m *model) enqueue(id, class, tenant string, cost int64) mOutcome {
	ci := m.class(class)
	switch {
	case ci < 0:
		return mOutcome{err: queue.UnknownClass}
	case id == "" || cost < 0:
		return mOutcome{err: queue.Invalid}
	case m.has(id):
		return mOutcome{err: queue.DuplicateID}
	}
	if q, ok := m.quota(tenant); ok {
		queued, inflight := m.usage(tenant)
		if q.MaxQueued > 0 && queued >= q.MaxQueued {
			return mOutcome{status: queue.Refused, code: queue.QuotaExceeded, quota: "max_queued"}
		}
		if q.MaxInFlight > 0 && inflight >= q.MaxInFlight {
			return mOutcome{status: queue.Refused, code: queue.QuotaExceeded, quota: "max_inflight"}
		}
	}
	if ct := m.classes[ci].CapacityTokens; (ct > 0 && cost > ct) || (m.capTok > 0 && cost > m.capTok) {
		return mOutcome{status: queue.Refused, code: queue.TooLarge}
	}
	classOver, poolOver := m.over(ci, cost)
	out := mOutcome{status: queue.Admitted}
	if classOver || poolOver {
		var evicted []string
		pop := func(i int) { // the oldest by arrival, under round robin too
			evicted = append(evicted, m.lists[i][0].id)
			m.drop(i, 0)
		}
		var code queue.Code
		switch m.policy {
		case queue.Reject:
			return mOutcome{status: queue.Refused, code: queue.QueueFull}
		case queue.DropLRU:
			// While its own class is over, its oldest; then, while the
			// pool is over, the oldest of the lowest-ranked non-empty.
			code = queue.DroppedLRU
			for c, _ := m.over(ci, cost); c; c, _ = m.over(ci, cost) {
				pop(ci)
			}
			for _, p := m.over(ci, cost); p; _, p = m.over(ci, cost) {
				pop(m.lowest(func(queue.Class) bool { return true }))
			}
		case queue.ShedLow:
			// Own class over: refuse. Pool over: refuse unless dropping
			// every task ranked strictly below would make room; then
			// the oldest of the lowest-ranked such class, until it fits.
			code = queue.Shed
			rank := m.classes[ci].Rank
			n, tok := 0, int64(0)
			for i, c := range m.classes {
				if c.Rank < rank {
					n, tok = n+len(m.lists[i]), tok+m.tokens(m.lists[i])
				}
			}
			fits := (m.cap == 0 || m.total()-n < m.cap) && (m.capTok == 0 || m.tokens(m.lists...)-tok+cost <= m.capTok)
			if classOver || !fits {
				return mOutcome{status: queue.Refused, code: queue.QueueFull}
			}
			for _, p := m.over(ci, cost); p; _, p = m.over(ci, cost) {
				pop(m.lowest(func(c queue.Class) bool { return c.Rank < rank }))
			}
		}
		out = mOutcome{status: queue.Evicting, code: code, evicted: evicted}
	}
	if m.rr(ci) && !m.queuedIn(ci, tenant) {
		m.turns[ci] = append(m.turns[ci], tenant) // the end of the rotation
	}
	m.lists[ci] = append(m.lists[ci], mItem{id, tenant, cost})
	return out
}

func (m *model) rr(ci int) bool { return m.classes[ci].TenantOrder == queue.TenantRoundRobin }

func (m *model) queuedIn(ci int, tenant string) bool {
	return slices.ContainsFunc(m.lists[ci], func(it mItem) bool { return it.tenant == tenant })
}

// drop removes the j-th task (arrival order) of class ci; a tenant left
// with nothing queued leaves the rotation.
func (m *model) drop(ci, j int) mItem {
	it := m.lists[ci][j]
	m.lists[ci] = slices.Delete(m.lists[ci], j, j+1)
	if m.rr(ci) && !m.queuedIn(ci, it.tenant) {
		m.turns[ci] = slices.DeleteFunc(m.turns[ci], func(t string) bool { return t == it.tenant })
	}
	return it
}

// front is the index of the task Dequeue takes: the oldest, or under round
// robin the oldest of the tenant whose turn it is.
func (m *model) front(ci int) int {
	if !m.rr(ci) {
		return 0
	}
	return slices.IndexFunc(m.lists[ci], func(it mItem) bool { return it.tenant == m.turns[ci][0] })
}

// lowest returns the non-empty class of lowest rank among those ok
// accepts, or -1.
func (m *model) lowest(ok func(queue.Class) bool) int {
	best := -1
	for i, c := range m.classes {
		if len(m.lists[i]) > 0 && ok(c) && (best < 0 || c.Rank < m.classes[best].Rank) {
			best = i
		}
	}
	return best
}

func (m *model) dequeue(ci int) (mItem, bool) {
	if ci < 0 || ci >= len(m.lists) || len(m.lists[ci]) == 0 {
		return mItem{}, false
	}
	j := m.front(ci)
	it := m.lists[ci][j]
	if m.rr(ci) { // the rotation moves on: this tenant goes to the end
		m.turns[ci] = append(m.turns[ci][1:], it.tenant)
	}
	m.drop(ci, j)
	return it, true
}

func (m *model) cancel(id string) bool {
	for i, l := range m.lists {
		for j, it := range l {
			if it.id == id {
				m.drop(i, j)
				return true
			}
		}
	}
	return false
}

func (m *model) ids(ci int) []string {
	ids := []string{}
	for _, it := range m.lists[ci] {
		ids = append(ids, it.id)
	}
	return ids
}
