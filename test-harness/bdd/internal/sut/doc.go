// Package sut is the seam between the step definitions and the system
// under test.
//
// The steps never call the core directly for a decision they check; they
// go through a [System]. [Real] is the orchestrator core itself. The
// mutants in this package wrap the real core and are deliberately wrong,
// so a test can prove that the scenarios fail when the core misbehaves.
//
// Guarantees:
//   - [Real] adds no logic: every method forwards to the core's public API.
//   - Each mutant changes exactly one behavior, named in its doc comment,
//     and forwards everything else to [Real].
//   - A System keeps no state; each scenario builds its own pools and
//     placers from it.
package sut
