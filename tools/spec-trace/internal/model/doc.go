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
//   - Every ID that a test references but no spec defines is listed in
//     Unknown together with the tests that reference it.
//   - The JSON form carries Schema so that readers can refuse a version
//     they do not understand.
package model
