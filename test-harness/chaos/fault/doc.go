// Package fault plans and injects the chaos run's faults: a seeded
// timeline over the run (kill, pause, cut, slow, restart, flap; target,
// start, duration), injection through a provider's verbs, verification
// that each fault took effect, and the heal at its end.
//
// Guarantees:
//   - Plan is a pure function of its inputs: the same seed, kinds,
//     replicas and run length give the same timeline (OC-CHAOS-8009).
//   - Every requested kind appears at least once; faults never overlap in
//     time, so at least one replica of two or more stays healthy.
//   - A timeline that does not fit inside the run's load phase is refused.
//   - The injector verifies every fault it injects (OC-CHAOS-8007) and
//     records start, verification and end; HealAll heals whatever is
//     still active, so an interrupted run leaves nothing broken.
package fault
