// Package cli is the spec-trace command line; cmd/spec-trace only calls
// Main.
//
// Guarantees:
//   - Exit 0: the run finished and, with --strict, nothing gates.
//   - Exit 1: with --strict, a MUST is not proven, a referencing test
//     failed, a test references an unknown ID, or a package failed outside
//     any test; with --min-should, too few SHOULDs are proven; for diff
//     with --fail-on-regression, something got worse.
//   - Exit 2: bad usage or unreadable input; the message names the file and
//     line that could not be read, and no report file is written.
//   - Each results file is told apart by content: a JSON array is cucumber
//     JSON, a stream of JSON objects is go test -json; a spec-trace report
//     given by mistake (reports/*.json matching coverage.json) is skipped
//     with a warning.
//   - Report files are written to a temporary file in --out and renamed,
//     so a reader never sees half a report.
//   - The summary table and the one-line total always go to stdout.
package cli
