// Package model is the one data model every report is rendered from.
//
// Guarantees:
//   - Build is a pure function of its inputs: the same requirements, tests
//     and problems give a byte-identical Report (no clock, no map order).
//   - Requirements are sorted by ID (numerically within a prefix); each
//     requirement's tests are sorted by kind, file, line, package and name.
//   - A requirement is proven when at least one referencing test passed and
//     none failed, failing when any referencing test failed, partial when it
//     is referenced but no referencing test passed or failed (none ran, or
//     all were skipped), and unproven when nothing references it.
//   - A failed test makes a requirement failing; otherwise one flaky test
//     (failed, then passed on a later attempt) among its passing tests
//     makes it flaky, which is proven-but-flaky, counted apart. Stale,
//     waived and the policy's partial are set after Build by the callers
//     (cli), which then call Recount.
//   - Each requirement carries its rule Text and a content Hash; each
//     test may carry the Hash of its source and its Attempts.
//   - Every ID that a test references but no spec defines is listed in
//     Unknown together with the tests that reference it.
//   - The JSON form carries Schema (spec-trace/v2) so that readers can
//     refuse a version they do not understand.
package model
