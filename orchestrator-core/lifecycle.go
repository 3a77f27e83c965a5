package core

import (
	"strings"

	"orchcore.dev/orchestrator-core/backoff"
	"orchcore.dev/orchestrator-core/observe"
	"orchcore.dev/orchestrator-core/watchdog"
)

// Cancel cancels a task. A queued task, or one waiting for a retry, is
// removed and will never be dispatched again (CanceledQueued); a
// dispatched task's job is aborted (AbortedJob) and the caller must stop
// it. Either way the task ends CANCELED. A task that already ended (and is
// still remembered) gives AlreadyEnded and changes nothing, so Cancel is
// idempotent. An unknown id is an *Error with code NOT_FOUND.
//
// Cancel and Next take the same lock, so a cancel racing a dispatch yields
// exactly one of the two histories, and the result says which.
func (p *Pool) Cancel(id string) (CancelResult, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.clock.Now()
	if it, err := p.mu.q.Cancel(id); err == nil {
		e := it.Value
		p.mu.ended.add(id, Canceled)
		p.releaseLocked(&e)
		p.settleLocked(e.ticket, e.used, now)
		p.emitLocked(observe.Canceled, e.task, now, func(ev *observe.Event) {
			ev.Reason = "CANCELED_QUEUED"
			ev.QueueTimeMs, ev.Seed = now-e.at, e.seed.Value
		})
		return CanceledQueued, nil
	}
	if _, ok := p.mu.jobs.Get(id); ok {
		p.endJobLocked(id, Canceled, observe.Canceled, "ABORTED", now)
		return AbortedJob, nil
	}
	if w, ok := p.mu.waits.remove(id); ok {
		p.endWaitLocked(w, Canceled, observe.Canceled, "CANCELED_RETRY", now)
		return CanceledQueued, nil
	}
	if _, ok := p.mu.ended.get(id); ok {
		return AlreadyEnded, nil
	}
	return 0, errorf(NotFound, id, "no such task")
}

// Complete ends a dispatched job normally (COMPLETED): the session is
// charged the tokens really used (prompt plus the output reported with
// Token), and the replica becomes the session's last good replica.
func (p *Pool) Complete(id string) error {
	return p.end(id, Completed, observe.Completed, "")
}

// Fail reports that the dispatched job of task id failed on its replica
// with cause, a stable reason code. If the retry policy allows another
// attempt, the task waits its backoff delay (state Retrying, a Retried
// event with Attempt and DelayMs) and Next dispatches it again, in the
// replica set of its first job, once the delay is over. When the attempts
// are spent the task ends FAILED with cause (OC-CORE-1025).
func (p *Pool) Fail(id, cause string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	r, err := p.jobLocked(id)
	if err != nil {
		return err
	}
	now := p.clock.Now()
	b, err := backoff.New(p.retry, id)
	if err != nil {
		return errorf(InvalidParams, id, "%v", err)
	}
	delay, ok := b.Next(r.job.Attempt)
	if !ok {
		p.endJobLocked(id, Failed, observe.Failed, cause, now)
		return nil
	}
	p.dropJobLocked(r)
	e := r.e
	e.used = sat(e.used, sat(e.task.PromptTokens, r.tokens))
	e.at = now
	// The queue-wait deadline of a retry runs from the failure: a TTL
	// bounds waiting, and the time the job ran was not spent waiting.
	e.deadline = deadline(now, e.ttl)
	if e.deadline > 0 {
		p.mu.exp.push(e.ttl, due{at: e.deadline, id: id, retry: true})
	}
	p.mu.waits.push(&wait{e: e, attempt: r.job.Attempt + 1, set: r.job.ReplicaSet, due: now + delay})
	p.emitLocked(observe.Retried, e.task, now, func(ev *observe.Event) {
		jobFields(ev, r)
		ev.Reason, ev.DelayMs = cause, delay
		ev.DecodeTimeMs = now - r.job.DispatchedAt
	})
	return nil
}

// TimeOut ends a dispatched job aborted by a watchdog outside the pool
// (TIMED_OUT); reason is WALL or IDLE, anything else INVALID_PARAMS with
// the job left running. Tick is the pool's own watchdog.
func (p *Pool) TimeOut(id, reason string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, err := p.jobLocked(id); err != nil {
		return err
	}
	if reason != watchdog.Wall.String() && reason != watchdog.Idle.String() {
		return errorf(InvalidParams, id, "timeout reason %q is neither WALL nor IDLE", reason)
	}
	p.endJobLocked(id, TimedOut, observe.TimedOut, reason, p.clock.Now())
	return nil
}

// Token records n output tokens of the dispatched job of task id: a Token
// event with Tokens=n (on the job's first, FirstToken and FirstTokenMs,
// the time since dispatch, which may be 0), and a watchdog heartbeat
// that pushes the idle deadline back.
// n < 1 is INVALID_PARAMS. The job's count saturates at math.MaxInt64
// (and so does what the session is charged on settlement): it never wraps
// negative, so a job is never settled as free.
func (p *Pool) Token(id string, n int) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	r, err := p.jobLocked(id)
	if err != nil {
		return err
	}
	if n < 1 {
		return errorf(InvalidParams, id, "token count %d < 1", n)
	}
	now := p.clock.Now()
	first := r.tokens == 0
	r.tokens = sat(r.tokens, int64(n))
	p.mu.wd.Heartbeat(r.job.ID, now)
	p.emitLocked(observe.Token, r.e.task, now, func(ev *observe.Event) {
		jobFields(ev, r)
		ev.Tokens = n
		if first {
			ev.FirstToken, ev.FirstTokenMs = true, now-r.job.DispatchedAt
		}
	})
	return nil
}

// Expiry is a job ended by the pool's watchdog.
type Expiry struct {
	TaskID, JobID string
	// Kind is the timeout that fired (WALL or IDLE).
	Kind watchdog.Kind
}

// Tick first ends EXPIRED every waiting task past its queue-wait
// deadline (OC-CORE-1050), then runs the watchdog at the pool clock's
// current time: every job past its wall deadline (since dispatch) or idle
// deadline (since its last token) ends TIMED_OUT with reason WALL or IDLE
// (OC-CORE-1022). It returns the ended jobs, by deadline then job id; the
// dispatcher must stop them.
func (p *Pool) Tick() []Expiry {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.clock.Now()
	p.expireLocked(now)
	var out []Expiry
	for _, x := range p.mu.wd.Expired(now) {
		id := x.Job[:strings.LastIndexByte(x.Job, '#')]
		r, ok := p.mu.jobs.Get(id)
		if !ok || r.job.ID != x.Job {
			continue // cannot happen: jobs and watchdog change together
		}
		p.endJobLocked(id, TimedOut, observe.TimedOut, x.Kind.String(), now)
		out = append(out, Expiry{TaskID: id, JobID: x.Job, Kind: x.Kind})
	}
	return out
}

// end moves a dispatched job to a terminal state.
func (p *Pool) end(id string, s State, k observe.Kind, reason string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, err := p.jobLocked(id); err != nil {
		return err
	}
	p.endJobLocked(id, s, k, reason, p.clock.Now())
	return nil
}

// jobLocked returns the dispatched job of id; a task in another state
// gives INVALID_STATE, an unknown id NOT_FOUND.
func (p *Pool) jobLocked(id string) (*run, error) {
	if r, ok := p.mu.jobs.Get(id); ok {
		return r, nil
	}
	if cur := p.liveLocked(id); cur != 0 {
		return nil, errorf(InvalidState, id, "task is %v, not DISPATCHED", cur)
	}
	return nil, errorf(NotFound, id, "no such task")
}

// endJobLocked ends the dispatched job of task id.
func (p *Pool) endJobLocked(id string, s State, k observe.Kind, reason string, now int64) {
	r, _ := p.mu.jobs.Get(id)
	p.dropJobLocked(r)
	t := r.e.task
	p.mu.q.Done(t.Tenant)
	p.mu.ended.add(id, s)
	p.mu.reg.Release(r.job.ReplicaSet)
	p.settleLocked(r.e.ticket, sat(r.e.used, sat(t.PromptTokens, r.tokens)), now)
	if s == Completed && t.SessionID != "" {
		p.mu.placer.Affinity.Set(t.SessionID, r.job.Replica)
	}
	p.emitLocked(k, t, now, func(ev *observe.Event) {
		jobFields(ev, r)
		ev.Reason = reason
		ev.DecodeTimeMs = now - r.job.DispatchedAt
	})
}

// endWaitLocked ends a task removed from the retry waits.
func (p *Pool) endWaitLocked(w *wait, s State, k observe.Kind, reason string, now int64) {
	t := w.e.task
	p.mu.q.Done(t.Tenant)
	p.mu.ended.add(t.ID, s)
	p.mu.reg.Release(w.set)
	p.settleLocked(w.e.ticket, w.e.used, now)
	p.emitLocked(k, t, now, func(ev *observe.Event) {
		ev.Reason, ev.Attempt, ev.Seed = reason, w.attempt-1, w.e.seed.Value
		ev.QueueTimeMs, ev.ModelID, ev.TokensIn = now-w.e.at, t.Model.ModelID, int(t.PromptTokens)
	})
}
