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
	policy   queue.Policy
	quotas   []queue.Quota
	inflight []mItem // dispatched and not done
}

type mItem struct{ id, tenant string }

// mOutcome is what the model expects from one Enqueue.
type mOutcome struct {
	err     queue.Code // input error code, or ""
	status  queue.Status
	code    queue.Code
	quota   string
	evicted string
}

func newModel(cfg queue.Config) *model {
	cs := slices.Clone(cfg.Classes)
	slices.SortFunc(cs, func(a, b queue.Class) int { return cmp.Compare(b.Rank, a.Rank) })
	return &model{classes: cs, lists: make([][]mItem, len(cs)), cap: cfg.Capacity, policy: cfg.Policy, quotas: cfg.Quotas}
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

func (m *model) enqueue(id, class, tenant string) mOutcome {
	ci := m.class(class)
	switch {
	case ci < 0:
		return mOutcome{err: queue.UnknownClass}
	case id == "":
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
	classFull := len(m.lists[ci]) >= m.classes[ci].Capacity
	poolFull := m.cap > 0 && m.total() >= m.cap
	out := mOutcome{status: queue.Admitted}
	if classFull || poolFull {
		victim, code := -1, queue.Code("")
		switch m.policy {
		case queue.DropLRU:
			// Own class if it is full, else the lowest-ranked non-empty.
			code = queue.DroppedLRU
			if classFull {
				victim = ci
			} else {
				victim = m.lowest(func(c queue.Class) bool { return true })
			}
		case queue.ShedLow:
			// Own class full: refuse. Pool full: the lowest-ranked
			// non-empty class strictly below the newcomer, else refuse.
			code = queue.Shed
			if !classFull {
				rank := m.classes[ci].Rank
				victim = m.lowest(func(c queue.Class) bool { return c.Rank < rank })
			}
		}
		if victim < 0 {
			return mOutcome{status: queue.Refused, code: queue.QueueFull}
		}
		out = mOutcome{status: queue.Evicting, code: code, evicted: m.lists[victim][0].id}
		m.lists[victim] = m.lists[victim][1:]
	}
	m.lists[ci] = append(m.lists[ci], mItem{id, tenant})
	return out
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
	it := m.lists[ci][0]
	m.lists[ci] = m.lists[ci][1:]
	return it, true
}

func (m *model) cancel(id string) bool {
	for i, l := range m.lists {
		for j, it := range l {
			if it.id == id {
				m.lists[i] = slices.Delete(l, j, j+1)
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
