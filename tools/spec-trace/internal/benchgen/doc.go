// Package benchgen writes a large synthetic repository and go test -json
// stream for spec-trace's speed benchmark.
//
// Guarantees:
//   - Write is deterministic: the same Config gives the same bytes.
//   - The stream has the shape of real go test -json output (start, run,
//     attr, output, pass/fail/skip events, per-package results), and is
//     written through a buffer, never held in memory whole.
//   - Requirement i (of Reqs) is referenced by tests i, i+Reqs, ...; test
//     k fails when k%FailEvery == 0 and is skipped when k%SkipEvery == 1.
package benchgen
