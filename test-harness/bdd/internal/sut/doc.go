// Package sut is the seam between the step definitions and the system
// under test, the orchestrator core's Pool.
//
// The steps never call the core directly for a decision they check; they
// build pools through a [System] and drive them through [Pool]. [Real]
// is the orchestrator core itself. The mutants in this package are real
// pools with one deliberate fault, so a test can prove that the
// scenarios fail when the core misbehaves.
//
// Guarantees:
//   - [Real] adds no logic: it returns core.New and core.FromConfig.
//   - Each mutant changes exactly one behavior, named in its doc comment,
//     by editing the configuration or wrapping the real pool; everything
//     else is the real pool. NewPool and FromConfig get the same fault.
//   - A System keeps no state; each scenario builds its own pool from it.
package sut
