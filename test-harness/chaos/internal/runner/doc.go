// Package runner is `chaos run`: it plans the load and the fault timeline
// from one seed, starts the replicas through a provider, drives the real
// core.Pool with the dispatcher while the faults are injected and
// verified, records the history, heals, drains, checks and reports.
//
// Guarantees:
//   - The plan (arrivals digest and fault timeline) is fixed by the seed
//     and the options before anything starts; --plan prints it only.
//   - The history is written as the run goes; an interrupted run (ctx
//     canceled, e.g. SIGINT) heals the active fault, stops every replica,
//     writes an end record marked incomplete and a report saying so.
//   - Every replica the provider started is stopped before Run returns,
//     whatever happened.
package runner
