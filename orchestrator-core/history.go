package core

import (
	"errors"
	"fmt"
	"slices"
	"sync"

	"orchcore.dev/orchestrator-core/observe"
)

// Recorder is an Observer that keeps every event, for tests and history
// checks. It is safe for concurrent use.
type Recorder struct {
	mu  sync.Mutex
	evs []observe.Event
}

// Observe appends e.
func (r *Recorder) Observe(e observe.Event) {
	r.mu.Lock()
	r.evs = append(r.evs, e)
	r.mu.Unlock()
}

// Events returns a copy of the events so far, in arrival order.
func (r *Recorder) Events() []observe.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.evs)
}

// phase is where a task is while its history is read.
type phase uint8

const (
	unseen phase = iota
	inQueue
	running
	retrying
	preempted // queued again after a preemption, or about to fail
	ended
)

// CheckHistories checks the lifecycle events of one pool, in the order the
// pool emitted them, against OC-CORE-1008. Each task's history must be one
// of:
//
//	rejected
//	admitted, (canceled | dropped | rejected | expired)
//	admitted, dispatched, [retried, dispatched]..., (completed | failed | timed_out | canceled)
//	admitted, dispatched, [retried, dispatched]..., retried, (canceled | failed | expired)
//
// where each "dispatched" may also be followed by "preempted" and then
// either what may follow "admitted" (the task is queued again) or
// "failed" with reason PREEMPTED (its attempts were spent) (OC-CORE-1057)
// (token and no_capacity events may appear while the task is queued or
// running and are ignored), so every task ends in exactly one terminal
// state. It returns nil or an error listing each offending task.
func CheckHistories(events []observe.Event) error {
	state := map[string]phase{}
	var order []string
	var errs []error
	bad := func(e observe.Event, p phase) {
		errs = append(errs, fmt.Errorf("task %q: %v not allowed after %v", e.TaskID, e.Kind, phaseName[p]))
	}
	for _, e := range events {
		if e.TaskID == "" || e.Kind == observe.Token || e.Kind == observe.NoCapacity ||
			e.Kind == observe.Replica || e.Kind == observe.Preload {
			continue
		}
		p, seen := state[e.TaskID]
		if !seen {
			order = append(order, e.TaskID)
		}
		next, ok := step(p, e.Kind)
		if p == preempted && e.Kind == observe.Failed && e.Reason != ReasonPreempted {
			ok = false // only the preemption itself fails a task that is not running
		}
		if !ok {
			bad(e, p) // and stay in p
		}
		state[e.TaskID] = next
	}
	for _, id := range order {
		if p := state[id]; p != ended {
			errs = append(errs, fmt.Errorf("task %q: no terminal state (last %v)", id, phaseName[p]))
		}
	}
	return errors.Join(errs...)
}

var phaseName = [...]string{unseen: "start", inQueue: "admitted", running: "dispatched", retrying: "retried",
	preempted: "preempted", ended: "a terminal state"}

// step is the lifecycle state machine of OC-CORE-1008.
func step(p phase, k observe.Kind) (phase, bool) {
	switch p {
	case unseen:
		switch k {
		case observe.Admitted:
			return inQueue, true
		case observe.Rejected:
			return ended, true
		}
	case inQueue:
		switch k {
		case observe.Dispatched:
			return running, true
		case observe.Canceled, observe.Dropped, observe.Rejected, observe.Expired: // rejected: a pin refused at placement
			return ended, true
		}
	case running:
		switch k {
		case observe.Completed, observe.Failed, observe.TimedOut, observe.Canceled:
			return ended, true
		case observe.Retried:
			return retrying, true
		case observe.Preempted:
			return preempted, true
		}
	case preempted:
		if k == observe.Failed {
			return ended, true
		}
		if next, ok := step(inQueue, k); ok {
			return next, true
		}
	case retrying:
		switch k {
		case observe.Dispatched:
			return running, true
		case observe.Canceled, observe.Failed, observe.Expired: // no job runs: no timeout
			return ended, true
		}
	}
	return p, false
}
