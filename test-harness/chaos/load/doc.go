// Package load plans the chaos run's open-loop load: Poisson arrivals per
// class with bursts, a tenant and session mix, prompt and n_predict
// drawn from ranges, and client cancels at a configured rate, some of
// them issued right after admission so that they race the dispatch.
//
// Guarantees:
//   - Plan is a pure function of the Spec: one root seed drives every
//     choice through separate streams (one per class for arrivals and
//     attributes, one for cancels), so the same Spec gives the same
//     arrivals in every run and process, and Digest names them.
//   - Open loop: arrival times never depend on how the system answers.
//   - Arrivals are sorted by time, then id; ids are unique.
package load
