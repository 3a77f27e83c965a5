package core

import (
	"math"

	"orchcore.dev/orchestrator-core/observe"
)

// Reasons of an Expired event: which TTL fired.
const (
	ReasonClassTTL = "CLASS_TTL"
	ReasonTaskTTL  = "TASK_TTL"
)

// due is one deadline in the expiry heap: a queued task whose own TTL is
// below its class's, or a task waiting for a retry.
type due struct {
	at    int64
	id    string
	retry bool
}

// expiries is a min-heap of deadlines by (at, id). Entries are removed
// lazily: a task dispatched, canceled or dropped before its deadline
// leaves its entry behind, and the entry is discarded when it surfaces
// (its task is no longer where the entry says, or has another deadline).
// So the heap holds at most the tasks admitted or failed within one TTL.
type expiries []due

func (h expiries) less(i, j int) bool {
	if h[i].at != h[j].at {
		return h[i].at < h[j].at
	}
	return h[i].id < h[j].id
}

func (h *expiries) push(d due) {
	*h = append(*h, d)
	s := *h
	for i := len(s) - 1; i > 0; {
		up := (i - 1) / 2
		if !s.less(i, up) {
			break
		}
		s[i], s[up] = s[up], s[i]
		i = up
	}
}

func (h *expiries) pop() due {
	s := *h
	top := s[0]
	last := len(s) - 1
	s[0] = s[last]
	s[last] = due{}
	s = s[:last]
	for i := 0; ; {
		l, r, m := 2*i+1, 2*i+2, i
		if l < len(s) && s.less(l, m) {
			m = l
		}
		if r < len(s) && s.less(r, m) {
			m = r
		}
		if m == i {
			break
		}
		s[i], s[m] = s[m], s[i]
		i = m
	}
	*h = s
	return top
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
// its head is looked at; the other deadlines come out of the heap.
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
	for len(p.mu.exp) > 0 && p.mu.exp[0].at <= now {
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
			p.expiredLocked(it.Value, 0, now)
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
