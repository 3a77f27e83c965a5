package config

// Config is one orchestrator configuration file. These types are the source
// of truth: the JSON Schema in ../schema is generated from them.
type Config struct {
	// Format version of the file; must be 1.
	Version int `json:"version" jsonschema:"enum=1"`
	// Priority classes with their rank, fairness weight and per-class queue capacity; at most 64. Empty means the defaults: interactive (rank 3, weight 6), batch (rank 2, weight 3) and background (rank 1, weight 1), each with capacity 1024.
	PriorityClasses []PriorityClass `json:"priority_classes,omitempty" jsonschema:"maxItems=64"`
	// Pools; each serves one model on a set of GPUs and owns one admission queue. At least one is required.
	Pools []Pool `json:"pools" jsonschema:"minItems=1"`
	// Replica sets: groups of replicas pinned to the same engine version, sampler profile version and model digest, so they may substitute for each other.
	ReplicaSets []ReplicaSet `json:"replica_sets,omitempty"`
	// Per-tenant admission quotas; tenant "*" is the default for every tenant without its own entry.
	Quotas []Quota `json:"quotas,omitempty"`
	// Budget of one session across all its tasks; absent means unlimited.
	SessionBudget *SessionBudget `json:"session_budget,omitempty"`
	// Checks applied to every request before admission.
	Guardrails Guardrails `json:"guardrails,omitempty"`
	// Wall and idle timeouts of running jobs.
	Watchdog Watchdog `json:"watchdog,omitempty"`
	// Capped exponential backoff for retries of failed jobs.
	Retry Retry `json:"retry,omitempty"`
	// Placement options.
	Placement Placement `json:"placement,omitempty"`
	// Sizes of the tables that would otherwise grow with every session and replica a pool has seen.
	Bounds Bounds `json:"bounds,omitempty"`
}

// Bounds are the sizes of a pool's per-session and per-replica tables; each evicts its least recently used idle entry when full. Absent or 0 means the default.
type Bounds struct {
	// Idle session budget accounts kept, and sessions remembered for affinity; default 65536. An idle session forgotten starts with its whole budget again.
	Sessions int `json:"sessions,omitempty" jsonschema:"minimum=0"`
	// Replicas remembered as registered in a replica set; at least the largest snapshot; default 16384.
	Replicas int `json:"replicas,omitempty" jsonschema:"minimum=0"`
	// Idle replica sets kept pinned; sets with a member or a task in progress are always kept; default 4096.
	ReplicaSets int `json:"replica_sets,omitempty" jsonschema:"minimum=0"`
}

// PriorityClass is one class of service. A higher rank is a higher priority.
type PriorityClass struct {
	// Unique class name, e.g. interactive.
	Name string `json:"name" jsonschema:"minLength=1,pattern=^[A-Za-z0-9][A-Za-z0-9._-]*$"`
	// Unique rank; a higher rank is served first under strict fairness and is never shed for a lower one.
	Rank int `json:"rank" jsonschema:"minimum=0"`
	// Share of dispatches under weighted fairness; 1 to 1000000.
	Weight int `json:"weight" jsonschema:"minimum=1,maximum=1000000"`
	// Maximum number of queued tasks of this class in one pool; at least 1.
	Capacity int `json:"capacity" jsonschema:"minimum=1"`
	// Bound on the summed token cost (prompt plus max new tokens) of this class's queued tasks in one pool; absent or 0 means none.
	CapacityTokens int64 `json:"capacity_tokens,omitempty" jsonschema:"minimum=0"`
	// How the class orders tasks across tenants: fifo (the default, arrival order) or round-robin (tenants with queued tasks served in turn, FIFO within a tenant).
	TenantOrder string `json:"tenant_order,omitempty" jsonschema:"enum=fifo,enum=round-robin,default=fifo"`
	// Longest a task of this class may wait, queued or for a retry, before it is dispatched, in milliseconds; at least 1. A task's own TTL, when smaller, wins. Absent means no TTL.
	TTLMs int64 `json:"ttl_ms,omitempty" jsonschema:"minimum=1"`
}

// Pool serves one model on a set of GPUs and owns one admission queue.
type Pool struct {
	// Unique pool id.
	ID string `json:"id" jsonschema:"minLength=1,pattern=^[A-Za-z0-9][A-Za-z0-9._-]*$"`
	// Model served by the pool.
	ModelID string `json:"model_id" jsonschema:"minLength=1"`
	// Inference engine, e.g. llamacpp; empty means any.
	Engine string `json:"engine,omitempty"`
	// Total number of queued tasks in the pool; 0 means only the class capacities bound it.
	Capacity int `json:"capacity,omitempty" jsonschema:"minimum=0"`
	// Bound on the summed token cost (prompt plus max new tokens) of all queued tasks in the pool; absent or 0 means none.
	CapacityTokens int64 `json:"capacity_tokens,omitempty" jsonschema:"minimum=0"`
	// What happens when a class or the pool is full: reject (the default), drop-lru or shed-low-priority.
	Admission string `json:"admission_policy,omitempty" jsonschema:"enum=reject,enum=drop-lru,enum=shed-low-priority,default=reject"`
	// Which class is served next: weighted (the default; shares of dispatches), weighted-tokens (shares of dispatched tokens) or strict.
	Fairness string `json:"fairness_policy,omitempty" jsonschema:"enum=weighted,enum=weighted-tokens,enum=strict,default=weighted"`
	// Which engine priority value runs first, so the engine's scheduler agrees with the classes: lower_first (the default; vLLM) gives the highest-ranked class 0, higher_first gives it the largest value.
	EnginePriority string `json:"engine_priority,omitempty" jsonschema:"enum=lower_first,enum=higher_first,default=lower_first"`
	// GPU indices this pool may use; empty means any.
	DeviceMask []int `json:"device_mask,omitempty" jsonschema:"uniqueItems=true,minimum=0"`
}

// ReplicaSet groups replicas that share engine_version,
// sampler_profile_version and model_digest.
type ReplicaSet struct {
	// Unique replica set id.
	ID string `json:"id" jsonschema:"minLength=1,pattern=^[A-Za-z0-9][A-Za-z0-9._-]*$"`
	// Id of the pool the replica set belongs to; must name a defined pool.
	Pool string `json:"pool" jsonschema:"minLength=1"`
	// Inference engine of every replica.
	Engine string `json:"engine" jsonschema:"minLength=1"`
	// Pinned engine version.
	EngineVersion string `json:"engine_version" jsonschema:"minLength=1"`
	// Pinned sampler profile version.
	SamplerProfileVersion string `json:"sampler_profile_version" jsonschema:"minLength=1"`
	// Pinned digest of the model weights. Omit it when the engine cannot report one (llama.cpp's /props has no digest): the set then pins an unknown digest, its replicas must report none either, and a replica that reports a digest belongs to another set.
	ModelDigest string `json:"model_digest,omitempty" jsonschema:"minLength=1"`
}

// Quota bounds what one tenant may have queued and running.
type Quota struct {
	// Tenant the quota applies to; "*" is the default for every tenant without its own entry.
	Tenant string `json:"tenant" jsonschema:"minLength=1"`
	// Maximum number of queued tasks; 0 means unlimited.
	MaxQueued int `json:"max_queued,omitempty" jsonschema:"minimum=0"`
	// Maximum number of running jobs; 0 means unlimited.
	MaxInFlight int `json:"max_in_flight,omitempty" jsonschema:"minimum=0"`
}

// SessionBudget bounds one session across all its tasks. A zero field means
// unlimited.
type SessionBudget struct {
	// Tokens (prompt and generated) a session may use; 0 means unlimited.
	Tokens int64 `json:"tokens,omitempty" jsonschema:"minimum=0"`
	// Wall time in milliseconds a session may use; 0 means unlimited.
	WallMs int64 `json:"wall_ms,omitempty" jsonschema:"minimum=0"`
	// Cost in millionths of a currency unit a session may use; 0 means unlimited.
	CostMicros int64 `json:"cost_micros,omitempty" jsonschema:"minimum=0"`
	// Cost of one token in millionths of a currency unit, used to charge cost_micros.
	CostPerTokenMicros int64 `json:"cost_per_token_micros,omitempty" jsonschema:"minimum=0"`
}

// Guardrails are checks applied to every request before admission.
type Guardrails struct {
	// Token budget of one request (prompt plus generation); 0 means none.
	MaxRequestTokens int `json:"max_request_tokens,omitempty" jsonschema:"minimum=0"`
}

// Watchdog holds the timeouts of running jobs. A zero field turns that
// timeout off.
type Watchdog struct {
	// Longest a job may run, in milliseconds; 0 means off.
	WallTimeoutMs int64 `json:"wall_timeout_ms,omitempty" jsonschema:"minimum=0"`
	// Longest a job may go without producing a token, in milliseconds; 0 means off.
	IdleTimeoutMs int64 `json:"idle_timeout_ms,omitempty" jsonschema:"minimum=0"`
}

// Retry configures capped exponential backoff with seeded jitter.
type Retry struct {
	// First delay in milliseconds.
	BaseMs int64 `json:"base_ms,omitempty" jsonschema:"minimum=0"`
	// Largest delay in milliseconds; when both are set it must be at least base_ms.
	CapMs int64 `json:"cap_ms,omitempty" jsonschema:"minimum=0"`
	// Most attempts of one task, the first included; 0 means the core's default.
	MaxAttempts int `json:"max_attempts,omitempty" jsonschema:"minimum=0"`
	// Seed of the jitter source, so delays are reproducible.
	JitterSeed uint64 `json:"jitter_seed,omitempty"`
}

// Placement holds placement options.
type Placement struct {
	// Whether a task may pin itself to a pool by naming it: the task is then placed in that pool only.
	AllowPin bool `json:"allow_pin,omitempty"`
	// Load thresholds above which a replica takes no new job; absent means no gating.
	Saturation Saturation `json:"saturation,omitempty"`
	// Prefix-cache-aware placement; absent means placement ignores the prompt blocks tasks carry.
	Prefix *Prefix `json:"prefix,omitempty"`
	// Bounded preemption of lower-ranked in-flight jobs when a head finds every usable replica full or saturated; absent means off.
	Preemption Preemption `json:"preemption,omitempty"`
}

// Preemption lets a pool abort in-flight jobs of lower-ranked classes so that a blocked head can run, at most max_per_window times per window_ms of pool time.
type Preemption struct {
	// Whether preemption is on; max_per_window and window_ms are then required (at least 1).
	Enabled bool `json:"enabled,omitempty"`
	// Most preemptions in any window of window_ms milliseconds.
	MaxPerWindow int `json:"max_per_window,omitempty" jsonschema:"minimum=0"`
	// Length of the sliding window in milliseconds of pool time.
	WindowMs int64 `json:"window_ms,omitempty" jsonschema:"minimum=0"`
}

// Prefix configures prefix-cache-aware placement: a task carries the chained hashes of its prompt's token blocks, and among the feasible replicas the one scoring highest on prefix_weight × matched blocks − load_weight × active slots is chosen, unless it is busier than the least-loaded feasible replica by more than guard_slots slots and guard_permille per mille; then the least-loaded one is.
type Prefix struct {
	// Tokens per block; the dispatcher hashing prompts and the engine's KV cache must use the same size.
	BlockTokens int `json:"block_tokens" jsonschema:"minimum=1"`
	// Most blocks one task may carry; a task with more is refused. Absent or 0 means 4096.
	MaxBlocks int `json:"max_blocks,omitempty" jsonschema:"minimum=0"`
	// Blocks the core remembers per replica, least recently used evicted first. Absent or 0 means 8192.
	BlocksPerReplica int `json:"blocks_per_replica,omitempty" jsonschema:"minimum=0"`
	// Score of one matched block; 1 to 1000000. Absent or 0 means 1.
	PrefixWeight int `json:"prefix_weight,omitempty" jsonschema:"minimum=0,maximum=1000000"`
	// Score cost of one active slot; 1 to 1000000 (raise prefix_weight to make load count less). Absent or 0 means 4.
	LoadWeight int `json:"load_weight,omitempty" jsonschema:"minimum=0,maximum=1000000"`
	// Imbalance guard, absolute part: it acts only when the chosen replica has more than this many active slots above the least-loaded feasible one. Absent or 0 means 1.
	GuardSlots int `json:"guard_slots,omitempty" jsonschema:"minimum=0"`
	// Imbalance guard, relative part: it acts only when the chosen replica's active slots exceed the least-loaded one's times this per mille; 1000 (equal) or more. Absent or 0 means 1250.
	GuardPermille int `json:"guard_permille,omitempty" jsonschema:"minimum=0"`
}

// Saturation gates replicas by the load samples their engines report; a field absent or 0 is off.
type Saturation struct {
	// A replica whose engine queue holds more waiting requests is saturated.
	MaxQueueDepth int `json:"max_queue_depth,omitempty" jsonschema:"minimum=0"`
	// A replica whose KV cache is fuller, in per mille (0 to 1000), is saturated.
	MaxKVPermille int `json:"max_kv_permille,omitempty" jsonschema:"minimum=0,maximum=1000"`
	// A replica whose load sample is older, or that reports none, is saturated.
	MaxSampleAgeMs int64 `json:"max_sample_age_ms,omitempty" jsonschema:"minimum=0"`
}
