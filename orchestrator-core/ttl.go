package core

import (
	"math"

	"orchcore.dev/orchestrator-core/internal/churn"

	"orchcore.dev/orchestrator-core/observe"
)

// Reasons of an Expired event: which TTL fired.
const (
	ReasonClassTTL = "CLASS_TTL"
	ReasonTaskTTL  = "TASK_TTL"
)

// due is one deadline in the expiry lanes: a queued task whose own TTL is
// below its class's, or a task waiting for a retry.
type due struct {
	at    int64
	id    string
	retry bool
}

// expiries holds the deadlines that are not in a class FIFO's order, in
// one lane per distinct TTL: every deadline of a lane is now + ttl taken
// at a time no earlier than the one before (the pool clock does not go
// back), so a lane is a FIFO in deadline order, and a small heap orders
// the lanes by their first deadline (then id). Pushing is O(1) plus
// O(log lanes) when a lane starts; popping is O(log lanes). Entries are
// removed lazily: a task dispatched, canceled or dropped before its
// deadline leaves its entry behind, and the entry is discarded when it
// surfaces (its task is no longer where the entry says, or has another
// deadline). So the lanes hold at most the tasks admitted or failed within
// one TTL of now.
type expiries struct {
	lanes churn.Map[int64, *lane]
	heap  []*lane // by (first deadline, first id)
}

// lane is the deadlines of one TTL, oldest first from head.
type lane struct {
	ttl   int64
	items []due
	head  int
}

func (l *lane) first() due { return l.items[l.head] }

// empty reports whether no deadline is waiting.
func (h *expiries) empty() bool { return len(h.heap) == 0 }

// next returns the earliest deadline.
func (h *expiries) next() due { return h.heap[0].first() }

func (h *expiries) push(ttl int64, d due) {
	l, ok := h.lanes.Get(ttl)
	if !ok {
		l = &lane{ttl: ttl}
		h.lanes.Set(ttl, l)
	}
	l.items = append(l.items, d)
	if len(l.items)-l.head == 1 { // the lane was empty: it enters the heap
		h.heap = append(h.heap, l)
		h.up(len(h.heap) - 1)
	}
}

// pop removes and returns the earliest deadline.
func (h *expiries) pop() due {
	l := h.heap[0]
	d := l.items[l.head]
	l.items[l.head] = due{}
	l.head++
	if l.head == len(l.items) { // empty: out of the heap, its memory freed
		h.lanes.Delete(l.ttl)
		last := len(h.heap) - 1
		h.heap[0] = h.heap[last]
		h.heap[last] = nil
		h.heap = h.heap[:last]
	} else if l.head > 1024 && l.head*2 > len(l.items) { // compact the lane
		l.items = append(l.items[:0:0], l.items[l.head:]...)
		l.head = 0
	}
	if len(h.heap) > 0 {
		h.down(0)
	}
	return d
}

func (h *expiries) less(i, j int) bool {
	a, b := h.heap[i].first(), h.heap[j].first()
	if a.at != b.at {
		return a.at < b.at
	}
	return a.id < b.id
}

func (h *expiries) up(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !h.less(i, p) {
			return
		}
		h.heap[i], h.heap[p] = h.heap[p], h.heap[i]
		i = p
	}
}

func (h *expiries) down(i int) {
	for {
		l, r, m := 2*i+1, 2*i+2, i
		if l < len(h.heap) && h.less(l, m) {
			m = l
		}
		if r < len(h.heap) && h.less(r, m) {
			m = r
		}
		if m == i {
			return
		}
		h.heap[i], h.heap[m] = h.heap[m], h.heap[i]
		i = m
	}
}

// ttlOf returns the TTL that bounds a task of class ci with its own ttl,
// and whether the task's own TTL is the smaller one (then its deadline is
// not in its class FIFO's order and goes into the heap). 0: no TTL.
func (p *Pool) ttlOf(ci int, own int64) (ttl int64, mine bool) {
	c := p.mu.q.Classes()[ci].TTLMs
	if own > 0 && (c == 0 || own < c) {
		return own, true
	}
	return c, false
}

// deadline is now + ttl, saturating; 0 when there is no TTL.
func deadline(now, ttl int64) int64 {
	if ttl <= 0 {
		return 0
	}
	if now > math.MaxInt64-ttl {
		return math.MaxInt64
	}
	return now + ttl
}

// expireLocked ends every queued or retry-waiting task whose deadline is
// at or before now (OC-CORE-1050), without scanning the queue: a class
// FIFO is in deadline order for tasks bounded by the class TTL, so only
// its head is looked at; the other deadlines come out of the lanes.
func (p *Pool) expireLocked(now int64) {
	q := p.mu.q
	for ci, c := range q.Classes() {
		if c.TTLMs <= 0 {
			continue
		}
		for {
			it, ok := q.Oldest(ci)
			if !ok || deadline(it.Value.at, c.TTLMs) > now {
				break
			}
			q.Cancel(it.ID)
			p.expiredLocked(it.Value, 0, now)
		}
	}
	for !p.mu.exp.empty() && p.mu.exp.next().at <= now {
		d := p.mu.exp.pop()
		if d.retry {
			if w, ok := p.mu.waits.get(d.id); ok && w.e.deadline == d.at {
				p.mu.waits.remove(d.id)
				p.mu.q.Done(w.e.task.Tenant)
				p.mu.reg.Release(w.set)
				p.expiredLocked(w.e, w.attempt-1, now)
			}
			continue
		}
		if it, ok := q.Get(d.id); ok && it.Value.deadline == d.at {
			q.Cancel(d.id)
			p.releaseLocked(&it.Value)
			p.expiredLocked(it.Value, max(it.Value.next-1, 0), now) // a preempted task ran next-1 jobs
		}
	}
}

// expiredLocked ends e EXPIRED; attempts is how many jobs it ran.
func (p *Pool) expiredLocked(e entry, attempts int, now int64) {
	t := e.task
	p.mu.ended.add(t.ID, Expired)
	p.settleLocked(e.ticket, e.used, now)
	p.emitLocked(observe.Expired, t, now, func(ev *observe.Event) {
		ev.Reason, ev.TTLMs = ReasonClassTTL, e.ttl
		if e.mine {
			ev.Reason = ReasonTaskTTL
		}
		ev.Attempt, ev.Seed, ev.QueueTimeMs = attempts, e.seed.Value, now-e.at
		ev.ModelID, ev.TokensIn = t.Model.ModelID, int(t.PromptTokens)
	})
}
