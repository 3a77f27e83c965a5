package core

// Task is one inference request as the pool sees it. Later issues add
// fields (model requirements, token counts, seed, pin); the pool carries
// the whole value from Admit to the Job.
type Task struct {
	// ID is unique among the pool's live tasks (queued or in flight) and
	// its recently ended ones.
	ID string
	// Class names a configured priority class.
	Class string
	// Tenant is the quota subject; empty is a tenant like any other.
	Tenant    string
	SessionID string
}

// State is where a task is in its lifecycle (OC-CORE-1008):
//
//	Admit -> Queued -> Dispatched -> Completed | Failed | TimedOut | Canceled
//	         Queued -> Canceled | Dropped
//	Admit -> Rejected
type State uint8

// Task states. Every state after Dispatched is terminal.
const (
	Queued State = iota + 1
	Dispatched
	Completed
	Canceled
	Rejected
	Dropped
	TimedOut
	Failed
)

var stateNames = [...]string{
	Queued: "QUEUED", Dispatched: "DISPATCHED", Completed: "COMPLETED",
	Canceled: "CANCELED", Rejected: "REJECTED", Dropped: "DROPPED",
	TimedOut: "TIMED_OUT", Failed: "FAILED",
}

// String returns the upper-case state name used in specs and logs.
func (s State) String() string {
	if int(s) < len(stateNames) && stateNames[s] != "" {
		return stateNames[s]
	}
	return "UNKNOWN"
}

// Terminal reports whether s ends a task.
func (s State) Terminal() bool { return s >= Completed }

// Admission is the result of a successful Admit.
type Admission struct {
	// Evicted is the id of the queued task dropped to make room, or "".
	Evicted string
	// Reason is the drop reason (QUEUE_FULL_DROP_LRU, SHED_LOW_PRIORITY)
	// when Evicted is set.
	Reason string
}

// Job is a dispatched task.
type Job struct {
	Task Task
	// Replica is the replica chosen by NextPlaced; empty after Next.
	Replica string
	// DispatchedAt is the pool clock at dispatch; QueueTimeMs the time the
	// task waited in its queue.
	DispatchedAt int64
	QueueTimeMs  int64
}

// CancelResult says which history a Cancel produced or found.
type CancelResult uint8

// Cancel results.
const (
	// CanceledQueued: the task was queued and will never be dispatched.
	CanceledQueued CancelResult = iota + 1
	// AbortedJob: the task had been dispatched; its job is aborted and the
	// dispatcher must stop it.
	AbortedJob
	// AlreadyEnded: the task had already ended (see the State returned
	// with it); nothing changed. This makes Cancel idempotent.
	AlreadyEnded
)

var cancelNames = [...]string{CanceledQueued: "canceled-queued", AbortedJob: "aborted-job", AlreadyEnded: "already-ended"}

func (r CancelResult) String() string {
	if int(r) < len(cancelNames) && cancelNames[r] != "" {
		return cancelNames[r]
	}
	return "unknown"
}
