// Package cli is the spec-trace command line; cmd/spec-trace only calls
// Main.
//
// Guarantees:
//   - Exit 0: the run finished and, with --strict, nothing gates.
//   - Exit 1: with --strict, a MUST is not proven (unproven, partial under
//     the evidence policy, stale, or flaky with --flaky fail), a
//     referencing test failed, a test references an unknown ID, a package
//     failed outside any test, a waiver expired or names an unknown ID;
//     with --fail-on-stale, a requirement is stale; with --min-should, too
//     few SHOULDs are proven; for diff --fail-on-regression and pr
//     --fail-on-regression, something got worse.
//   - Exit 2: bad usage or unreadable input; the message names the file and
//     line (and column for the YAML files) that could not be read, and no
//     report or history file is written.
//   - Each results file is told apart by content: a JSON array is cucumber
//     JSON, a stream of JSON objects is go test -json, XML is JUnit; a
//     spec-trace report given by mistake (reports/*.json matching
//     coverage.json) is skipped with a warning.
//   - Several results of one test (within a stream or across files, in
//     the order given) are its attempts: a failure followed by a pass is
//     flaky, never a clean pass.
//   - Evaluation order: the baseline marks stale, then the policy marks
//     partial, then the waivers mark waived; the summary is recounted.
//   - Report files are written to a temporary file in --out and renamed,
//     so a reader never sees half a report; the history file of the run is
//     written only after the reports.
//   - The summary table and the one-line total always go to stdout.
package cli
