package observe

// Kind names a lifecycle event.
type Kind uint8

// Lifecycle events. Terminal kinds (see [Kind.Terminal]) end a task.
const (
	// Admitted: the task entered its class queue.
	Admitted Kind = iota + 1
	// Rejected: the task was refused before or at admission (Reason holds the
	// code: QUEUE_FULL, QUOTA_EXCEEDED, CTX_EXCEEDED, ...), or its pin was
	// refused when it was placed (INVALID_PARAMS, POOL_UNREADY). Terminal.
	Rejected
	// Dropped: a queued task was evicted to make room (Reason is
	// QUEUE_FULL_DROP_LRU or SHED_LOW_PRIORITY). Terminal.
	Dropped
	// Dispatched: the task left the queue and became a job on a replica.
	Dispatched
	// NoCapacity: placement found no replica; the task stays queued. Reason
	// holds the placement reason; Placement holds the counts.
	NoCapacity
	// Token: the job produced output tokens (Tokens holds how many).
	Token
	// Retried: the job failed on its replica and will be dispatched again
	// after DelayMs within the same replica set.
	Retried
	// Canceled: the task or job was canceled. Terminal.
	Canceled
	// Completed: the job finished normally. Terminal.
	Completed
	// Failed: the job failed and will not be retried; Reason holds the cause.
	// Terminal.
	Failed
	// TimedOut: the watchdog aborted the job; Reason is WALL or IDLE.
	// Terminal.
	TimedOut
	// Replica: a replica sample (utilization, VRAM, KV cache); not tied to a
	// task.
	Replica
	// Preload: a model preload finished on a replica; Reason is its outcome.
	Preload
	// Expired: a queued or retry-waiting task passed its queue-wait
	// deadline and was never dispatched again; Reason is CLASS_TTL or
	// TASK_TTL, TTLMs the TTL that fired. Terminal.
	Expired
	// Preempted: the pool aborted the job so that a blocked head of a
	// higher-ranked class could run (OC-CORE-1057); it carries the job's
	// fields, Reason PREEMPTED and PreemptedBy, the head's task id. The
	// task goes back to the head of its class, or, with its attempts
	// spent, a Failed event with Reason PREEMPTED follows. Not terminal.
	Preempted
)

var kindNames = [...]string{
	Admitted:   "admitted",
	Rejected:   "rejected",
	Dropped:    "dropped",
	Dispatched: "dispatched",
	NoCapacity: "no_capacity",
	Token:      "token",
	Retried:    "retried",
	Canceled:   "canceled",
	Completed:  "completed",
	Failed:     "failed",
	TimedOut:   "timed_out",
	Replica:    "replica",
	Preload:    "preload",
	Expired:    "expired",
	Preempted:  "preempted",
}

// String returns the event name in snake case.
func (k Kind) String() string {
	if int(k) < len(kindNames) && kindNames[k] != "" {
		return kindNames[k]
	}
	return "unknown"
}

// Terminal reports whether the event ends a task.
func (k Kind) Terminal() bool {
	switch k {
	case Rejected, Dropped, Canceled, Completed, Failed, TimedOut, Expired:
		return true
	}
	return false
}

// Event is one thing the core did. Fields that do not apply to a kind are
// zero. Field names follow the log field set of OC-CORE-1040.
type Event struct {
	Kind Kind
	// AtMs is the pool clock in milliseconds when the event was decided.
	AtMs int64

	TaskID    string
	JobID     string
	SessionID string
	Tenant    string
	Class     string
	PoolID    string
	// Reason is a stable code (QUEUE_FULL, NO_CAPACITY, WALL, ...).
	Reason string
	// Policy is the admission policy that decided a Rejected or Dropped
	// event (reject, drop-lru, shed-low-priority).
	Policy string
	// EvictedBy is, on a Dropped event, the id of the task whose admission
	// caused the eviction.
	EvictedBy string
	// PreemptedBy is, on a Preempted event, the id of the queued task
	// whose head could not be placed and caused the preemption.
	PreemptedBy string

	ReplicaID             string
	Engine                string
	EngineVersion         string
	SamplerProfileVersion string
	ModelID               string
	Quant                 string
	Ctx                   int
	KVWarmth              bool
	Seed                  uint64
	Pinned                bool

	QueueTimeMs  int64
	DecodeTimeMs int64
	// FirstTokenMs is the time from dispatch to the first token (Token
	// events that carry the first token, see FirstToken); it may be 0.
	FirstTokenMs int64
	TokensIn     int
	Tokens       int
	Attempt      int
	DelayMs      int64
	// TTLMs is, on an Expired event, the queue-wait TTL that fired.
	TTLMs int64
	// EnginePriority is, on a Dispatched event, the priority the job
	// passes to its engine (OC-CORE-1058).
	EnginePriority int
	// MatchedBlocks is, on a Dispatched event, how many leading prompt
	// blocks the chosen replica holds (OC-CORE-1055); Guarded is true when
	// the imbalance guard placed the job on the least-loaded replica
	// instead of the best-scoring one.
	MatchedBlocks int
	Guarded       bool

	// QueueDepth is the pool's queued count after the event; ClassDepth the
	// event class's queued count.
	QueueDepth int
	ClassDepth int

	Placement *Placement
	Sample    *Sample

	// Fallback is, on a Dispatched event, true when the session's affinity
	// replica was not feasible and placement chose another replica (the job
	// then runs with KVWarmth false, OC-CORE-1013). It feeds the fallback
	// label of placement_decisions_total.
	Fallback bool

	// FirstToken is, on a Token event, true when the event carries the
	// job's first output token; FirstTokenMs then holds the time since
	// dispatch, 0 when the token came in the dispatch's millisecond.
	FirstToken bool
}

// Placement carries the counts of one placement decision (OC-CORE-1042).
type Placement struct {
	CandidatesTotal    int
	CandidatesFeasible int
	// Filtered counts the candidates removed per reason code, sorted by
	// reason.
	Filtered []ReasonCount
}

// ReasonCount is a reason code and how many candidates it filtered.
type ReasonCount struct {
	Reason string
	Count  int
}

// Sample is a replica measurement.
type Sample struct {
	GPUUtilization float64 // 0..1
	VRAMUsedBytes  int64
	KVCacheUsage   float64 // 0..1
}

// Observer receives events. Implementations must be safe for use by several
// pools at once and must not call back into a pool.
type Observer interface {
	Observe(Event)
}

// Nop is the Observer that does nothing.
type Nop struct{}

// Observe discards e.
func (Nop) Observe(Event) {}

// Func adapts a function to an Observer.
type Func func(Event)

// Observe calls f(e).
func (f Func) Observe(e Event) { f(e) }

// Multi fans an event out to several observers in order.
type Multi []Observer

// Observe passes e to each observer.
func (m Multi) Observe(e Event) {
	for _, o := range m {
		o.Observe(e)
	}
}
