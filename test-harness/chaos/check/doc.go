// Package check re-validates a chaos run from its recorded history, one
// function per invariant, each naming the offending tasks and records:
//
//   - Lost (OC-CHAOS-8001, 8010; OC-CORE-1008): every admitted task reaches
//     exactly one terminal state (total-queue counts: lost, duplicated,
//     unexpected), each task's history is one of the OC-CORE-1008 shapes,
//     and each client cancel's result agrees with what followed.
//   - Fairness (OC-CHAOS-8002; OC-CORE-1006, 1007): over the first
//     dispatches, each backlogged class's wait against 2·P(k)−1 and its
//     count in every run of one backlog set against the share bound; the
//     pool's own share accounting against the history's counts.
//   - Backoff (OC-CHAOS-8003): every retry delay recomputed from the
//     configured policy and seed; none above the cap; no attempt over the
//     limit.
//   - Replicas (OC-CHAOS-8004): no dispatch to a replica between an
//     observation of it as down or not Ready and its next Ready; the
//     detection lag per fault as a figure.
//   - Faults (OC-CHAOS-8007): every planned fault started, ended and was
//     verified to have taken effect.
//   - Validity (OC-CHAOS-8008): the run's own thresholds.
//
// Guarantees:
//   - The checkers read nothing but the history: the same file gives the
//     same verdicts every time (OC-CHAOS-8009).
//   - A truncated history never passes Lost: it fails saying it is cut
//     short.
//   - The reference models here are written from the spec text, not taken
//     from the core.
package check
