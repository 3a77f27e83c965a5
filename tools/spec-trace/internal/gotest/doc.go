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
//   - A test that started and has no result of its own is failed when its
//     package failed (a timeout or a panic in another goroutine ends the
//     binary with no fail event for the running test) or when the stream
//     ended first; its note is the first "panic:" line it or its package
//     printed (e.g. "panic: test timed out after 2s").
//   - A failed package is explained when one of its tests failed or never
//     finished; only then do its passed tests keep their pass. A package
//     that failed unexplained (TestMain exit, leak check after the tests)
//     fails its passed tests too, with a note saying why.
//   - A package that did not build, or failed unexplained, is a Problem;
//     so is a failed or unfinished test that references no requirement, itself
//     or through a parent test (only the innermost such failures are
//     listed: a parent that failed because its subtest did is implied).
//   - A failed referencing test carries, as its note, the last TailLines
//     lines it printed before failing (its t.Error / t.Fatal messages).
//   - A line that is not a JSON object is an error naming the file and line.
package gotest
