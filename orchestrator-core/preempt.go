package core

import (
	"orchcore.dev/orchestrator-core/backoff"
	"orchcore.dev/orchestrator-core/observe"
	"orchcore.dev/orchestrator-core/scheduling"
)

// Preemption configures bounded preemption (OC-CORE-1057). The zero
// value is off.
type Preemption struct {
	Enabled bool
	// MaxPerWindow bounds the preemptions in any WindowMs of pool clock:
	// 1..MaxPreemptionsPerWindow when Enabled.
	MaxPerWindow int
	// WindowMs is the length of the sliding window, at least 1 when
	// Enabled.
	WindowMs int64
}

// MaxPreemptionsPerWindow bounds Preemption.MaxPerWindow: the window keeps
// one timestamp per preemption it allows, allocated up front.
const MaxPreemptionsPerWindow = 1 << 16

// ReasonPreempted is the reason of a Preempted event, and of the Failed
// event of a preempted task whose attempts are spent.
const ReasonPreempted = "PREEMPTED"

func (c Preemption) validate() *Error {
	if !c.Enabled {
		return nil
	}
	switch {
	case c.MaxPerWindow < 1 || c.MaxPerWindow > MaxPreemptionsPerWindow:
		return errorf(InvalidParams, "", "preemption.max_per_window %d outside 1..%d", c.MaxPerWindow, MaxPreemptionsPerWindow)
	case c.WindowMs < 1:
		return errorf(InvalidParams, "", "preemption.window_ms %d < 1", c.WindowMs)
	}
	return nil
}

// window is the sliding window of preemptions: the times of the last
// len(at) of them, in a ring. A preemption at now is allowed when fewer
// than len(at) happened, or the oldest of the last len(at) is at least
// span ago; so any half-open interval (t-span, t] holds at most len(at).
type window struct {
	at   []int64
	next int // the slot of the oldest time once full
	n    int
	span int64
}

func newWindow(c Preemption) window {
	if !c.Enabled {
		return window{}
	}
	return window{at: make([]int64, c.MaxPerWindow), span: c.WindowMs}
}

func (w *window) allows(now int64) bool {
	return len(w.at) > 0 && (w.n < len(w.at) || now-w.at[w.next] >= w.span)
}

func (w *window) add(now int64) {
	w.at[w.next] = now
	w.next = (w.next + 1) % len(w.at)
	w.n = min(w.n+1, len(w.at))
}

// blocked is the highest-ranked class head of one Next that was unplaced
// only because its replicas were full or saturated.
type blocked struct {
	ok bool
	ci int
	d  Dispatch
}

// capacityOnly reports a head left unplaced by capacity alone: the
// latest stage that removed its candidates was NO_CAPACITY or SATURATED.
// Quotas, pins, mismatches and every other reason never preempt.
func capacityOnly(d *Dispatch) bool {
	return d.Outcome == Unplaced &&
		(d.Reason == scheduling.CodeNoCapacity || d.Reason == scheduling.CodeSaturated)
}

// note records d, the outcome of the head of class ci, as a preemption
// trigger if it is the highest-ranked capacity-blocked head so far.
func (b *blocked) note(ci int, d Dispatch) {
	if capacityOnly(&d) && (!b.ok || ci < b.ci) {
		*b = blocked{ok: true, ci: ci, d: d}
	}
}

// preemptLocked preempts for the blocked head of x, if preemption is on,
// the window allows one and there is a victim; ok is false otherwise and
// nothing changed.
func (p *Pool) preemptLocked(x *try) (Dispatch, bool) {
	b := &x.blocked
	if !b.ok || !p.mu.window.allows(x.now) {
		return Dispatch{}, false
	}
	head, _ := p.mu.q.Peek(b.ci)
	v := p.victimLocked(b.ci, &head.Value, x.snap.Pools)
	if v == nil {
		return Dispatch{}, false
	}
	p.mu.window.add(x.now)
	p.abortLocked(v, head.ID, x.now)
	d := b.d
	return Dispatch{Outcome: Preempted, TaskID: v.e.task.ID, Job: v.job, Head: head.ID,
		Decision: d.Decision, Mismatched: d.Mismatched, Reason: d.Reason}, true
}

// runs is one class's in-flight jobs in dispatch order, a doubly linked
// list through run.prev and run.next. The pool clock never goes back, so
// DispatchedAt never decreases from head to tail.
type runs struct{ head, tail *run }

// victimLocked chooses the job to preempt for head, a task of class ci:
// among the in-flight jobs of classes ranked strictly below ci whose
// replica could serve head (in head's pool scope, same model id), the
// lowest-ranked class first, then the latest DispatchedAt, then the
// larger job id. It walks each class from its newest job back and stops
// at the first dispatch time older than a candidate's, so it usually
// reads a few jobs; jobs that cannot serve head are skipped. Nil when
// there is none.
func (p *Pool) victimLocked(ci int, head *entry, pools []scheduling.Pool) *run {
	scope := head.task.Pin
	if scope == "" {
		scope = p.ownScope(pools)[0].ID
	}
	model := head.task.Model.ModelID
	for vi := len(p.mu.live) - 1; below(vi, ci); vi-- {
		var best *run
		for r := p.mu.live[vi].tail; r != nil; r = r.prev {
			if best != nil && r.job.DispatchedAt < best.job.DispatchedAt {
				break // older jobs come before: none is later
			}
			if r.job.PoolID != scope || r.job.ModelID != model {
				continue
			}
			if best == nil || later(r, best) {
				best = r
			}
		}
		if best != nil {
			return best
		}
	}
	return nil
}

// below reports whether class index vi ranks strictly below class index
// hi (index 0 is the highest rank; ranks are distinct, so an equal index
// is an equal rank, never preempted).
func below(vi, hi int) bool { return vi > hi }

// later reports whether a is preempted before b: lower rank, then later
// dispatch, then larger job id.
func later(a, b *run) bool {
	if a.ci != b.ci {
		return a.ci > b.ci
	}
	if a.job.DispatchedAt != b.job.DispatchedAt {
		return a.job.DispatchedAt > b.job.DispatchedAt
	}
	return a.job.ID > b.job.ID
}

// abortLocked ends the job r: a Preempted event, then either the task
// goes back to the head of its class (attempt and seed kept, the next
// dispatch is attempt+1 in the same replica set, its queue-wait deadline
// restarting now) or, its attempts spent, it ends FAILED with reason
// PREEMPTED. The tokens it used are charged like a failed attempt's.
func (p *Pool) abortLocked(r *run, by string, now int64) {
	id := r.e.task.ID
	ev := func(ev *observe.Event) {
		jobFields(ev, r)
		ev.Reason, ev.PreemptedBy = ReasonPreempted, by
		ev.DecodeTimeMs = now - r.job.DispatchedAt
	}
	b, _ := backoff.New(p.retry, id) // p.retry was validated by New
	if _, ok := b.Next(r.job.Attempt); !ok {
		p.emitLocked(observe.Preempted, r.e.task, now, ev)
		p.endJobLocked(id, Failed, observe.Failed, ReasonPreempted, now)
		return
	}
	p.dropJobLocked(r)
	p.mu.q.Done(r.e.task.Tenant) // no longer in flight; queued again below
	e := r.e
	e.used = sat(e.used, sat(e.task.PromptTokens, r.tokens))
	e.at, e.next, e.set = now, r.job.Attempt+1, r.job.ReplicaSet
	// Like a retry's, the queue-wait deadline runs from the preemption;
	// it is out of the class FIFO's order, so it goes to the lanes.
	e.deadline = deadline(now, e.ttl)
	if e.deadline > 0 {
		p.mu.exp.push(e.ttl, due{at: e.deadline, id: id})
	}
	if err := p.mu.q.PushFront(id, e.task.Tenant, r.ci, cost(e.task), e); err != nil {
		panic("core: put back a preempted task: " + err.Error()) // cannot happen: the id left the queue at dispatch
	}
	p.emitLocked(observe.Preempted, e.task, now, ev)
}

// releaseLocked releases the replica set a queued task put back by a
// preemption still holds; a task that never ran holds none.
func (p *Pool) releaseLocked(e *entry) {
	if e.set != "" {
		p.mu.reg.Release(e.set)
	}
}

// addJobLocked records r as in flight, the newest of its class.
func (p *Pool) addJobLocked(r *run) {
	p.mu.jobs.Set(r.e.task.ID, r)
	l := &p.mu.live[r.ci]
	r.prev, r.next = l.tail, nil
	if l.tail != nil {
		l.tail.next = r
	} else {
		l.head = r
	}
	l.tail = r
}

// dropJobLocked forgets the in-flight job r and stops its watchdog.
func (p *Pool) dropJobLocked(r *run) {
	p.mu.jobs.Delete(r.e.task.ID)
	p.mu.wd.Stop(r.job.ID)
	l := &p.mu.live[r.ci]
	if r.prev != nil {
		r.prev.next = r.next
	} else {
		l.head = r.next
	}
	if r.next != nil {
		r.next.prev = r.prev
	} else {
		l.tail = r.prev
	}
	r.prev, r.next = nil, nil
}
