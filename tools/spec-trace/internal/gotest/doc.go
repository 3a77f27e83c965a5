// Package gotest reads the event stream of `go test -json`.
//
// Guarantees:
//   - The stream is read line by line with bounded memory: output events
//     are recognised and skipped without decoding, and only tests that set
//     a "req" attr (or failed) are kept.
//   - An attr event with key "req" adds the IDs in its value (one ID, a
//     range, or a comma or space separated list) to the test named on the
//     event; a subtest's attrs count with the subtest's own result, a
//     parent's attrs with the parent's result.
//   - A test's status is its own pass, fail or skip event; with several
//     runs (-count, several files) a failure wins over a pass, a pass over a
//     skip. Cached packages replay their events and are read the same way.
//   - A referencing test with no result of its own is failed when its
//     package failed or the stream ended first. A test that passed in a
//     package that failed with no failing test (TestMain exit, crash after
//     the tests) is failed too, with a note saying why.
//   - A package that did not build, or failed with no failing test, is a
//     Problem; so is a failing test that references no requirement, itself
//     or through a parent test (only the innermost such failures are
//     listed: a parent that failed because its subtest did is implied).
//   - A failed referencing test carries, as its note, the last TailLines
//     lines it printed before failing (its t.Error / t.Fatal messages).
//   - A line that is not a JSON object is an error naming the file and line.
package gotest
