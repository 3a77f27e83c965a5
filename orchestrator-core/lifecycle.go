package core

import "orchcore.dev/orchestrator-core/observe"

// Cancel cancels a task. A queued task is removed and will never be
// dispatched (CanceledQueued); a dispatched task's job is aborted
// (AbortedJob) and the caller must stop it. Either way the task ends
// CANCELED. A task that already ended (and is still remembered) gives
// AlreadyEnded and changes nothing, so Cancel is idempotent. An unknown id
// is an *Error with code NOT_FOUND.
//
// Cancel and Next take the same lock, so a cancel racing a dispatch yields
// exactly one of the two histories, and the result says which.
func (p *Pool) Cancel(id string) (CancelResult, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.clock.Now()
	if it, err := p.mu.q.Cancel(id); err == nil {
		p.mu.ended.add(id, Canceled)
		p.emitLocked(observe.Canceled, it.Value.task, now, func(ev *observe.Event) {
			ev.Reason = "CANCELED_QUEUED"
			ev.QueueTimeMs = now - it.Value.at
		})
		return CanceledQueued, nil
	}
	if _, ok := p.mu.jobs[id]; ok {
		p.endJobLocked(id, Canceled, observe.Canceled, "ABORTED", now)
		return AbortedJob, nil
	}
	if _, ok := p.mu.ended.get(id); ok {
		return AlreadyEnded, nil
	}
	return 0, errorf(NotFound, id, "no such task")
}

// Complete ends a dispatched job normally (COMPLETED).
func (p *Pool) Complete(id string) error {
	return p.end(id, Completed, observe.Completed, "")
}

// Fail ends a dispatched job that will not be retried (FAILED); cause is
// a stable reason code reported in the event.
func (p *Pool) Fail(id, cause string) error {
	return p.end(id, Failed, observe.Failed, cause)
}

// TimeOut ends a dispatched job aborted by the watchdog (TIMED_OUT);
// reason is WALL or IDLE.
func (p *Pool) TimeOut(id, reason string) error {
	return p.end(id, TimedOut, observe.TimedOut, reason)
}

// end moves a dispatched job to a terminal state. A task that is queued or
// already ended gives INVALID_STATE; an unknown id NOT_FOUND.
func (p *Pool) end(id string, s State, k observe.Kind, reason string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.mu.jobs[id]; !ok {
		if cur := p.liveLocked(id); cur != 0 {
			return errorf(InvalidState, id, "task is %v, not DISPATCHED", cur)
		}
		return errorf(NotFound, id, "no such task")
	}
	p.endJobLocked(id, s, k, reason, p.clock.Now())
	return nil
}

// endJobLocked ends the dispatched job id.
func (p *Pool) endJobLocked(id string, s State, k observe.Kind, reason string, now int64) {
	j := p.mu.jobs[id]
	delete(p.mu.jobs, id)
	p.mu.q.Done(j.Task.Tenant)
	p.mu.ended.add(id, s)
	p.emitLocked(k, j.Task, now, func(ev *observe.Event) {
		ev.Reason = reason
		ev.QueueTimeMs = j.QueueTimeMs
		ev.DecodeTimeMs = now - j.DispatchedAt
	})
}
