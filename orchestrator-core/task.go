package core

import (
	"orchcore.dev/orchestrator-core/determinism"
	"orchcore.dev/orchestrator-core/guardrails"
	"orchcore.dev/orchestrator-core/scheduling"
)

// Task is one inference request as the pool sees it; the pool carries the
// whole value from Admit to every Job of the task.
type Task struct {
	// ID is unique among the pool's live tasks (queued, in flight or
	// waiting for a retry) and its recently ended ones.
	ID string
	// Class names a configured priority class.
	Class string
	// Tenant is the quota subject; empty is a tenant like any other.
	Tenant    string
	SessionID string

	// Model holds the model requirements (model id, optional digest,
	// quant, ctx_max, streaming, extensions, engine), built with
	// scheduling.NewRequest. Its Pin, SessionID and ReplicaSet fields are
	// ignored: the pool fills them from Pin, SessionID and the replica set
	// of the task's first job.
	Model scheduling.Request
	// PromptTokens and MaxNewTokens are what the request needs; their sum
	// is checked against ctx_max, the token budget and the session budget.
	PromptTokens, MaxNewTokens int64
	// Seed is the client's seed when HasSeed is true; otherwise the pool
	// assigns one (determinism.SeedFor) and records it on the job.
	Seed    uint64
	HasSeed bool
	// Pin names a pool to place the task in, "" for automatic placement.
	Pin string
	// Blocks are the chained hashes of the prompt's token blocks
	// (scheduling.Chain with placement.prefix.block_tokens), used by
	// prefix-cache-aware placement (OC-CORE-1055). Empty is no prefix.
	// Admit refuses, INVALID_PARAMS, a list that cannot be a chain: more
	// than max_blocks hashes, a zero hash or a repeated one.
	Blocks []uint64
	// TTLMs bounds how long the task may wait (queued, or for a retry)
	// before it is dispatched; 0 means only its class's TTL applies, and
	// the smaller of the two wins (OC-CORE-1050). Negative is
	// INVALID_PARAMS.
	TTLMs int64
}

// State is where a task is in its lifecycle (OC-CORE-1008):
//
//	Admit -> Queued -> Dispatched -> Completed | Failed | TimedOut | Canceled
//	                   Dispatched -> Retrying -> Dispatched | Canceled | Failed | Expired
//	                   Dispatched -> Queued (preempted, back at the head of its class)
//	                   Dispatched -> Failed (preempted with its attempts spent)
//	         Queued -> Canceled | Dropped | Rejected (pin refused by Next) | Expired
//	Admit -> Rejected
//
// A preempted task that is Queued again keeps its seed, its attempt
// count and its replica set (OC-CORE-1057).
type State uint8

// Task states. Completed to Expired are terminal; Retrying is not.
const (
	Queued State = iota + 1
	Dispatched
	Completed
	Canceled
	Rejected
	Dropped
	TimedOut
	Failed
	// Expired: the task waited (queued, or for a retry) past its
	// queue-wait deadline (OC-CORE-1050).
	Expired
	// Retrying: the job failed on its replica and the task waits out its
	// backoff delay before it is dispatched again in the same replica set.
	Retrying
)

var stateNames = [...]string{
	Queued: "QUEUED", Dispatched: "DISPATCHED", Completed: "COMPLETED",
	Canceled: "CANCELED", Rejected: "REJECTED", Dropped: "DROPPED",
	TimedOut: "TIMED_OUT", Failed: "FAILED", Expired: "EXPIRED", Retrying: "RETRYING",
}

// String returns the upper-case state name used in specs and logs.
func (s State) String() string {
	if int(s) < len(stateNames) && stateNames[s] != "" {
		return stateNames[s]
	}
	return "UNKNOWN"
}

// Terminal reports whether s ends a task.
func (s State) Terminal() bool { return s >= Completed && s <= Expired }

// Admission is the result of a successful Admit.
type Admission struct {
	// Evicted are the ids of the queued tasks dropped to make room, oldest
	// first in the order the policy took them; nil when none was. Count
	// capacities evict at most one; token capacities as many as the
	// newcomer needs (OC-CORE-1051).
	Evicted []string
	// Reason is the drop reason (QUEUE_FULL_DROP_LRU, SHED_LOW_PRIORITY)
	// when Evicted is set.
	Reason string
	// Seed is the seed the task's jobs run with (OC-CORE-1034).
	Seed determinism.Seed
	// Remaining is what the task's session may still spend after this
	// admission (guardrails.Unlimited for a budget not configured,
	// OC-CORE-1024). A refusal carries it in Error.Remaining.
	Remaining guardrails.Remaining
}

// Job is one dispatch of a task: attempt 1 is the first, each retry adds
// one. Its fields are the job fields of the log records (OC-CORE-1040).
type Job struct {
	// ID is "<task id>#<attempt>".
	ID      string
	Task    Task
	Attempt int
	Seed    determinism.Seed

	// Replica is the chosen replica; PoolID and ReplicaSet are its pool
	// and replica set, the rest its versions and model as the snapshot
	// showed them. Ctx is the replica's user-visible context.
	Replica, PoolID, ReplicaSet           string
	Engine, EngineVersion, SamplerProfile string
	ModelID, Quant                        string
	Ctx                                   int
	// KVWarmth is true when the session stayed on its last good replica
	// or the replica holds a prefix of the task's blocks;
	// Fallback when it had one and moved (OC-CORE-1013). Pinned when the
	// task named a pool.
	KVWarmth, Fallback, Pinned bool
	// EnginePriority is the priority to pass to the engine with the job,
	// from the class's rank in the pool's polarity (OC-CORE-1058): under
	// lower_first (vLLM) the highest-ranked class gets 0, the next 1, and
	// so on; under higher_first the order is reversed.
	EnginePriority int
	// MatchedBlocks is how many leading blocks of the task's prompt the
	// replica holds, as the pool's prefix index knows (OC-CORE-1055); then
	// KVWarmth is true too.
	MatchedBlocks int
	// Guarded is true when the imbalance guard placed the job on the
	// least-loaded feasible replica instead of the best-scoring one.
	Guarded bool

	// DispatchedAt is the pool clock at dispatch; QueueTimeMs the time
	// the task waited before it: since admission for attempt 1, since
	// the failure for a retry.
	DispatchedAt int64
	QueueTimeMs  int64
}

// Outcome says what one call of Next did.
type Outcome uint8

// Outcomes of Next.
const (
	// Idle: nothing was queued or due.
	Idle Outcome = iota
	// Placed: a job was dispatched (Dispatch.Job).
	Placed
	// Unplaced: no replica could take the task; it stays where it was,
	// and Dispatch.Decision says why (OC-CORE-1042).
	Unplaced
	// Refused: the task's pin was refused (INVALID_PARAMS or
	// POOL_UNREADY in Dispatch.Err); the task ended REJECTED, or FAILED
	// if it was a retry. Call Next again for the next task.
	Refused
	// Preempted: no job was placed, and the in-flight job Dispatch.Job
	// (task Dispatch.TaskID) was aborted so that the head Dispatch.Head,
	// unplaced for Dispatch.Reason (NO_CAPACITY or SATURATED), can run
	// (OC-CORE-1057). The dispatcher must stop that job's engine request
	// and call Next again with a fresh snapshot.
	Preempted
)

var outcomeNames = [...]string{Idle: "idle", Placed: "placed", Unplaced: "unplaced", Refused: "refused", Preempted: "preempted"}

func (o Outcome) String() string {
	if int(o) < len(outcomeNames) {
		return outcomeNames[o]
	}
	return "unknown"
}

// Dispatch is the result of Next.
type Dispatch struct {
	Outcome Outcome
	// TaskID is the task Next tried to place ("" when Idle).
	TaskID string
	// Job is the dispatched job when Placed, the aborted one when
	// Preempted.
	Job Job
	// Head is, when Preempted, the id of the queued task whose blocked
	// head caused the preemption; Decision, Mismatched and Reason are
	// then that head's.
	Head string
	// Decision is the placement decision with its counts (Placed and
	// Unplaced), as package scheduling made it over the replicas that
	// passed the replica-set check.
	Decision scheduling.Decision
	// Mismatched counts the in-scope replicas left out because their
	// versions disagree with their replica set or are missing
	// (OC-CORE-1031). Events add them to candidates_total and to the
	// filtered counts as REPLICA_SET_MISMATCH.
	Mismatched int
	// Reason is the stable reason code when Unplaced: the decision's
	// reason, REPLICA_SET_MISMATCH when the replica-set check left out
	// every in-scope replica, or QUOTA_EXCEEDED when the tenant is at its
	// max_inflight quota (the task was not offered to placement).
	Reason string
	// Err is the refusal when Refused.
	Err error
}

// CancelResult says which history a Cancel produced or found.
type CancelResult uint8

// Cancel results.
const (
	// CanceledQueued: the task was queued (or waiting for a retry) and
	// will never be dispatched again.
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
