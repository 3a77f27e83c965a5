// Package scheduling places a task on a replica: a pipeline of small
// filters, then session affinity, then a total order.
//
// A snapshot is first compiled into a [Table] ([Table.Load]): the strings
// the filters compare (pool, replica set, engine, model id, digest,
// quant, features) become small integer symbols, features and devices
// bit masks, and untrusted entries are marked. [Placer.PlaceIn] decides
// on a loaded table with integer compares only, as often as needed (the
// Pool loads once per Next and places every head and retry it tries
// against the same table); [Placer.Place] is Load into the Placer's own
// table followed by PlaceIn, so there is one decision path.
//
// The recipe, for each replica in scope (the pools passed in, or the
// pinned pool only; and the required replica set, if any):
//
//  0. a trustworthy entry?            else REPLICA_INVALID
//  1. Ready?                          else POOL_UNREADY
//  2. devices inside the pool's mask? else DEVICE_MASK_MISMATCH
//  3. engine, model id, digest, quant? else ENGINE_MISMATCH
//  4. ctx_max_supported >= ctx_max?   else INSUFFICIENT_CTX
//  5. every extension (and streaming)? else EXTENSIONS_UNSATISFIED
//  6. a free slot?                    else NO_CAPACITY
//  7. load below the thresholds?      else SATURATED
//
// A feasible replica is compared with the best so far under the order
// (free_vram_mb desc, active_slots asc, replica_id asc). If the session's
// last good replica is feasible it wins instead (under an enabled
// [PrefixPolicy], only while the imbalance guard allows it). Otherwise,
// under an enabled PrefixPolicy and for a request carrying blocks, the
// prefix score chooses among the feasible replicas, then the guard.
//
// Guarantees:
//   - Only Ready replicas inside their pool's device mask (an empty mask
//     allows any device; under a non-empty mask a replica that reports
//     no devices is outside it), matching the
//     request's engine and model, with enough context, every required
//     extension and a free slot are chosen (OC-CORE-1010, 1011, 1016).
//   - Absent request fields (digest, quant, ctx, streaming) constrain
//     nothing, and [NewRequest] never fills one with a guess
//     (OC-CORE-1014). CtxMax is the user-visible context after template
//     overhead ([UsableCtx], OC-CORE-1015).
//   - Among feasible replicas the maximum of the total order is chosen
//     (OC-CORE-1012, 1017). The result does not depend on the order of
//     the snapshot, for any input: an entry that cannot be trusted (an
//     empty id, an id another entry of the snapshot repeats — every entry
//     carrying it — or a negative slot count, free VRAM, context or
//     device number) is filtered first as REPLICA_INVALID and counted.
//   - Session affinity (OC-CORE-1013): the session's last good replica,
//     read from [Affinity], is kept while feasible (KVWarmth=true); when
//     it is not, the decision has Moved=true and KVWarmth=false. A new
//     session gets KVWarmth=false.
//   - Pins (OC-CORE-1018, 1019): with Policy.AllowPin and a pool listed in
//     the snapshot, only that pool is searched. A pin with pinning
//     disabled or to an unlisted pool is an *Error INVALID_PARAMS; a pin
//     to a pool with no Ready replica is an *Error POOL_UNREADY. There is
//     never a fallback to other pools.
//   - Prefix scoring (OC-CORE-1055): the feasible replica of highest
//     PrefixWeight × matched blocks − LoadWeight × active slots, by the
//     [Prefix] index, ties by the total order; if it is busier than the
//     least-loaded feasible replica by more than GuardSlots slots and
//     GuardPermille per mille, the least-loaded one instead (Guarded).
//     Integers only; factors are capped at 2^31 so no product overflows.
//     The guard also tests a session's last good replica: one busier than
//     that is left (Moved, Guarded) and the score chooses. Scoring never
//     changes the filter counts. The index lookup walks the request's
//     blocks once; each hit is mapped to its table entry by the table's
//     id index.
//   - Every rejection is counted per reason; a decision carries
//     candidates_total, candidates_feasible and the counts (OC-CORE-1042).
//   - When nothing is feasible the reason is the latest pipeline stage
//     that removed a candidate: the stage the closest candidate failed
//     at. So a job blocked only by busy replicas reads NO_CAPACITY even
//     if more replicas had the wrong engine. With no candidate at all, or
//     none Ready, it is POOL_UNREADY; when every candidate is invalid,
//     REPLICA_INVALID. The rule reads only the counts
//     ([ReasonFor]), so it is deterministic.
//   - No clock, randomness or map iteration influences a decision
//     (OC-CORE-1017, 1033): Place and PlaceIn are pure functions of the
//     request, the snapshot (the loaded table) and its pools, the policy
//     and the affinity table. Symbols are numbered in snapshot order but
//     only compared for equality; a table with many distinct values of a
//     field indexes them with a map that is only read by key.
//   - PlaceIn on a table gives exactly the Decision of the string
//     filters above, in every case: a request value the table never saw
//     matches nothing, and past 64 distinct features or at a device
//     number of 64 or more the check falls back to the lists.
//   - Load is one pass over the snapshot (repeated ids found with a
//     probe table); PlaceIn is one pass over the table's records with no
//     sorting, the id compared only on a free-VRAM and load tie. Neither
//     allocates once the Table and the Placer have held a snapshot of
//     that size and as many distinct values (the Decision is returned by
//     value; an *Error is allocated on refusal).
//   - After the pass each replica's outcome (its Reason, NoReason when
//     feasible) is kept per index, and the pass has found the least load
//     among the feasible ones: the place where a scoring stage plugs in
//     (see PlaceIn).
//   - A Placer and an Affinity are not safe for concurrent use; the Pool
//     serializes them.
package scheduling
