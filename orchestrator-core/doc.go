// Package core is the orchestrator core's Pool: admission with guardrails,
// fairness, placement on replicas, the watchdog, retries and the task
// lifecycle of one pool, safe for concurrent use.
//
// A caller Admits tasks; a dispatcher calls Next with a replica snapshot
// to turn the task chosen by the fairness policy into a Job placed on a
// replica, reports its output with Token, and later Complete or Fail;
// Tick ends the jobs whose timeouts fired; anyone may Cancel. Every
// transition goes to the configured observe.Observer.
//
//	p, _ := core.New(core.Config{ID: "llama", Classes: classes, Admission: queue.DropLRU})
//	a, err := p.Admit(core.Task{ID: "t1", Class: "batch", Model: req, PromptTokens: 100, MaxNewTokens: 200})
//	// err: core.CodeOf(err) is CTX_EXCEEDED, QUEUE_FULL, ...; a.Seed, a.Remaining
//	for {
//		d, ok := p.Next(snapshot)
//		if d.Outcome == core.Preempted {
//			abort(d.Job) // stop its engine request, then Next with a fresh snapshot
//			continue
//		}
//		if !ok && d.Outcome != core.Refused {
//			break // Idle, or Unplaced with d.Reason
//		}
//		// run d.Job on d.Job.Replica; p.Token(id, n); p.Complete(id) or p.Fail(id, cause)
//	}
//	p.Tick() // with the injected clock: jobs past their wall or idle timeout end TIMED_OUT
//
// Guarantees:
//   - Admit runs the guardrails before the queue (OC-CORE-1020, 1021,
//     1023): ctx_max (the task's Model.CtxMax, else Config.Limits),
//     max_request_tokens, then the session's tokens, wall time and cost.
//     A refusal is an *Error CTX_EXCEEDED, TOKEN_BUDGET_EXCEEDED or
//     BUDGET_EXCEEDED naming the budget, its limit and what was
//     requested; nothing is truncated and nothing is charged.
//   - Every admission decision carries the session's remaining budget:
//     Admission.Remaining on success, Error.Remaining on every refusal
//     (OC-CORE-1024). The session is charged the worst case at admission
//     and settled with the tokens really used (prompt plus reported
//     output) when the task ends.
//   - Then quotas, class and pool capacity apply with the configured
//     policy (package queue): QUEUE_FULL, QUOTA_EXCEEDED naming the quota;
//     an eviction is reported in the Admission.
//   - Seeds (OC-CORE-1034): a client seed (HasSeed) is carried unchanged to
//     every job of the task; otherwise the seed is FNV-1a 64 of
//     pool id + 0x00 + task id (determinism.SeedFor), recorded in
//     Admission.Seed, Job.Seed and every event of the task.
//   - Next places with package scheduling (OC-CORE-1010..1019): Ready
//     replicas only, device masks, model match, context, extensions, a free
//     slot; most free VRAM, fewest active slots, replica id; the session's
//     last good replica (set on Complete) while feasible, otherwise
//     Job.Fallback with KVWarmth false. A pin searches the pinned pool
//     only; a pin that is disabled, unknown or (on a first dispatch) to a
//     pool with no Ready replica ends the task REJECTED with
//     INVALID_PARAMS or POOL_UNREADY, never a fallback. The pool's own id
//     is always a known pin target. A pinned retry whose pool has no
//     Ready replica waits like any retry (OC-CORE-1019, 1025).
//   - With placement.prefix (OC-CORE-1055) a task's Blocks steer an
//     unsticky placement to the replica holding the longest prefix,
//     weighed against load, under the imbalance guard; the pool learns
//     the blocks of every job it places (bounded per replica and in
//     replicas, least recently used evicted) and replaces them by what a
//     snapshot entry reports. Admit refuses blocks that cannot be a chain
//     (INVALID_PARAMS).
//   - Snapshot entries that cannot be trusted (an empty or repeated
//     replica id, a negative count) are filtered as REPLICA_INVALID,
//     never chosen and never registered, so no input makes a decision
//     depend on snapshot order (OC-CORE-1017).
//   - An unpinned task is placed only in its own pool's scope (the
//     snapshot's entry for the pool id, else Config.Pools' entry): other
//     pools are pin targets only, so there is no spillover (OC-CORE-1011).
//   - When a head cannot be placed, it stays at the head of its class and
//     gets one no_capacity event per Next with the deterministic reason,
//     candidates_total, candidates_feasible and the count per reason
//     (OC-CORE-1042); Next then tries the other backlogged classes in the
//     fairness order, so one unplaceable head never stalls the pool, and
//     only the class served is committed to the fairness state, the
//     classes that could not be served counting as not backlogged
//     (OC-CORE-1004, 1006). Within a class the order stays FIFO.
//   - max_inflight holds at dispatch as well as at admission: a head whose
//     tenant is at its limit (jobs dispatched or waiting for a retry) is
//     not dispatched and is reported unplaced with reason QUOTA_EXCEEDED
//     (OC-CORE-1009).
//   - A pin whose pool has replicas, all left out by the replica-set check,
//     is not refused: the task waits with reason REPLICA_SET_MISMATCH and
//     Dispatch.Mismatched counting them (OC-CORE-1019, 1031).
//   - Rejected and dropped events carry the task's engine; only QUEUE_FULL
//     refusals and drops carry the admission policy (backpressure), not
//     quota or guardrail refusals (OC-CORE-1041).
//   - Stats' Dispatched and DispatchShare count first dispatches only; a
//     retry's dispatch is not a new fairness share (OC-CORE-1007).
//   - Replica sets (OC-CORE-1031, 1032): every snapshot replica is
//     registered in the pool's determinism.Registry under its set (or, with
//     no set id, under determinism.Key of its versions, so a new
//     engine_version or model_digest is a new set). A replica whose
//     versions differ from its set's, or are missing, is never chosen; it
//     is counted as REPLICA_SET_MISMATCH. A model digest may be unknown
//     (empty): replicas reporting none form their own set. A retry is placed only in the
//     replica set of the task's first job.
//   - Watchdog (OC-CORE-1022): each job has a wall deadline from dispatch
//     and an idle deadline from its last Token; Tick ends expired jobs
//     TIMED_OUT with reason WALL or IDLE, time from the injected Clock.
//     TimeOut from outside takes only WALL or IDLE. Token counts saturate
//     at the largest int64, never wrapping (OC-CORE-1023).
//   - Retries (OC-CORE-1025): Fail waits the backoff delay (capped
//     exponential, jitter seeded by Config.Retry.Seed and the task id) and
//     the task is dispatched again as attempt n+1 (job id "<task>#<n>");
//     once the attempts are spent it ends FAILED with the cause. Due
//     retries are placed before the queue, by (due time, task id); one
//     that cannot be placed keeps waiting and never holds back the
//     others.
//   - Queue TTL (OC-CORE-1050): a class's ttl_ms and a task's TTLMs, the
//     smaller winning, bound the wait of a queued task (from admission)
//     and of a retry (from its failure); Next and Tick end every task past
//     its deadline EXPIRED before they do anything else, without scanning
//     the queue (class heads, plus one FIFO lane per distinct task TTL).
//   - Bounded memory (OC-CORE-1054): idle session accounts, the affinity
//     table, the registered replicas, the prefix index and the idle
//     replica sets are
//     least-recently-used tables sized by Config.Bounds; live entries (an
//     open reservation, a set a task may still run in) are never evicted.
//     Stats().Tables reports their sizes.
//   - Each task follows one of these histories (OC-CORE-1008):
//     admitted, dispatched, [retried, dispatched]..., then completed |
//     failed | timed_out | canceled; admitted, dispatched, ..., retried,
//     then canceled | failed | expired; admitted then canceled | dropped |
//     rejected (a pin refused at placement) | expired; or rejected; where
//     a dispatched may be followed by preempted and then either the
//     history of a queued task again or failed (PREEMPTED). So every
//     admitted task ends in exactly one terminal state, and a cancel racing
//     a dispatch yields either canceled-never-dispatched or
//     dispatched-then-canceled; Cancel's result says which.
//   - Bounded preemption (OC-CORE-1057, Config.Preemption): when nothing
//     could be placed and a class head was blocked only by NO_CAPACITY or
//     SATURATED, Next may abort one in-flight job of a class ranked
//     strictly below it (outcome Preempted, see Next for the victim rule),
//     at most MaxPerWindow per sliding WindowMs of pool clock. The task
//     goes back to the head of its class (queue.PushFront: the class may
//     exceed its capacity by such tasks) with seed, attempt and replica
//     set kept, its queue-wait deadline restarting at the preemption; or,
//     its attempts spent, ends FAILED with reason PREEMPTED. A preempted
//     event precedes either. Later Complete, Fail, Token or TimeOut for
//     the task are refused INVALID_STATE while it is queued, as for any
//     task not dispatched.
//   - Cancel is idempotent: a repeated cancel of a remembered ended task
//     returns AlreadyEnded and changes nothing; an unknown id is NOT_FOUND.
//     Config.Remember (at most MaxRemember) bounds the ended tasks kept.
//   - Every job event (dispatched, token, retried, completed, failed,
//     timed_out, canceled of a job) carries the job fields of OC-CORE-1040:
//     job_id, session_id, engine, engine_version, pool_id (the pool that
//     queued the task), replica_id, model_id, quant, ctx, kv_warmth,
//     queue_time_ms, decode_time_ms, seed, sampler_profile_version.
//   - Events are delivered once each, under the pool's lock, in decision
//     order; the observer must not call back into the pool.
//   - Decisions are reproducible (OC-CORE-1033): no decision reads the
//     wall clock, randomness or map order; time comes from the injected
//     Clock, so the same arrivals, snapshots and clock readings give the
//     same decisions in every run and process.
//   - errors.As(err, &*core.Error) gives the Code; errors.Is compares codes.
package core
