// Package sample holds events of every kind with every field filled, for
// tests and the exposition dump.
package sample

import "orchcore.dev/orchestrator-core/observe"

// Events returns at least one event of every kind, covering each branch
// of the exporter (a Rejected event with and without a policy, a first
// and a later Token, a queued and a running cancel).
func Events() []observe.Event {
	base := observe.Event{
		TaskID: "t1", JobID: "j1", SessionID: "s1", Tenant: "acme",
		Class: "interactive", PoolID: "pool-a", ReplicaID: "r1",
		Engine: "llamacpp", EngineVersion: "b4500", ModelID: "m1",
		SamplerProfileVersion: "sp1", Quant: "q4_k_m", Ctx: 4096, Seed: 7,
		QueueDepth: 1, ClassDepth: 1,
	}
	with := func(k observe.Kind, f func(*observe.Event)) observe.Event {
		e := base
		e.Kind = k
		if f != nil {
			f(&e)
		}
		return e
	}
	place := &observe.Placement{CandidatesTotal: 4, CandidatesFeasible: 1,
		Filtered: []observe.ReasonCount{{Reason: "INSUFFICIENT_CTX", Count: 2}, {Reason: "NO_CAPACITY", Count: 1}}}
	return []observe.Event{
		with(observe.Admitted, nil),
		with(observe.Rejected, func(e *observe.Event) { e.Reason = "CTX_EXCEEDED" }),
		with(observe.Rejected, func(e *observe.Event) { e.Reason, e.Policy = "QUEUE_FULL", "reject" }),
		with(observe.Dropped, func(e *observe.Event) {
			e.Class, e.Reason, e.Policy, e.EvictedBy = "background", "QUEUE_FULL_DROP_LRU", "drop-lru", "t9"
		}),
		with(observe.NoCapacity, func(e *observe.Event) { e.Reason, e.Placement = "NO_CAPACITY", place }),
		with(observe.Dispatched, func(e *observe.Event) { e.Placement, e.QueueTimeMs, e.ClassDepth = place, 30, 0 }),
		with(observe.Token, func(e *observe.Event) { e.Tokens, e.FirstToken, e.FirstTokenMs = 1, true, 180 }),
		with(observe.Token, func(e *observe.Event) { e.Tokens = 15 }),
		with(observe.Retried, func(e *observe.Event) { e.Reason, e.Attempt, e.DelayMs = "REPLICA_LOST", 1, 200 }),
		with(observe.Completed, func(e *observe.Event) { e.DecodeTimeMs, e.TokensIn, e.Tokens = 2400, 120, 16 }),
		with(observe.Canceled, func(e *observe.Event) { e.TaskID, e.Reason, e.ClassDepth = "t2", "CANCELED_QUEUED", 0 }),
		with(observe.Canceled, func(e *observe.Event) { e.TaskID, e.Reason = "t3", "ABORTED" }),
		with(observe.Failed, func(e *observe.Event) { e.TaskID, e.Reason = "t4", "ENGINE_ERROR" }),
		with(observe.TimedOut, func(e *observe.Event) { e.TaskID, e.Reason = "t5", "IDLE" }),
		with(observe.Expired, func(e *observe.Event) {
			e.TaskID, e.Reason, e.TTLMs, e.QueueTimeMs = "t6", "CLASS_TTL", 5000, 5000
		}),
		with(observe.Preempted, func(e *observe.Event) {
			e.TaskID, e.JobID, e.Reason, e.PreemptedBy = "t7", "t7#1", "PREEMPTED", "t8"
		}),
		with(observe.Replica, func(e *observe.Event) {
			e.Sample = &observe.Sample{GPUUtilization: 0.75, VRAMUsedBytes: 8 << 30, KVCacheUsage: 0.4}
		}),
		with(observe.Preload, func(e *observe.Event) { e.Reason = "ok" }),
	}
}
