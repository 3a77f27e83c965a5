// Package core is the orchestrator core's Pool: admission, fairness and
// the task lifecycle of one pool, safe for concurrent use.
//
// A caller Admits tasks; a dispatcher calls Next (or NextPlaced, with a
// Placer that picks a replica) to turn the task chosen by the fairness
// policy into a Job and later reports Complete, Fail or TimeOut; anyone may
// Cancel. Every transition goes to the configured observe.Observer.
//
//	p, _ := core.New(core.Config{ID: "llama", Classes: classes, Admission: queue.DropLRU})
//	if a, err := p.Admit(core.Task{ID: "t1", Class: "batch", Tenant: "acme"}); err != nil {
//		// core.CodeOf(err) is QUEUE_FULL, QUOTA_EXCEEDED, ...
//	} else if a.Evicted != "" {
//		// a.Evicted ended DROPPED with reason a.Reason
//	}
//	if job, ok := p.Next(); ok {
//		// run job.Task, then:
//		p.Complete(job.Task.ID)
//	}
//
// Guarantees:
//   - Admission applies quotas, then class and pool capacity with the
//     configured policy (package queue); refusals are *Error values with a
//     stable Code (QUEUE_FULL, QUOTA_EXCEEDED naming the quota, ...), and
//     an eviction is reported in the Admission.
//   - Each task follows one of these histories (OC-CORE-1008):
//     admitted, dispatched, then completed | failed | timed_out | canceled;
//     admitted then canceled | dropped; or rejected. So every admitted task
//     ends in exactly one terminal state, and a cancel racing a dispatch
//     yields either canceled-never-dispatched or dispatched-then-canceled;
//     Cancel's result says which.
//   - Cancel is idempotent: a repeated cancel of a remembered ended task
//     returns AlreadyEnded and changes nothing; an unknown id is NOT_FOUND.
//   - Events are delivered once each, under the pool's lock, in decision
//     order; the observer must not call back into the pool.
//   - A failed placement (NextPlaced) leaves the task at the head of its
//     class and the fairness state unchanged, and emits no_capacity.
//   - No decision reads the wall clock, randomness or map order: time comes
//     from the injected Clock.
//   - errors.As(err, &*core.Error) gives the Code; errors.Is compares codes.
package core
