// Package proptest is test support for the core's property tests: Fails
// shows that a rapid property is not vacuous by running it against a
// deliberately broken implementation and reporting whether rapid caught
// it; Windows is the one reference checker of the OC-CORE-1006 fairness
// windows and Share the one checker of the weighted share bound, both
// shared by the fairness and pool properties.
//
//	if failed, _ := proptest.Fails(t, queueMachine); !failed {
//		t.Error("the property passed on a broken queue")
//	}
//
// Guarantees:
//   - Test support only: only _test.go files import this package, never
//     the core's own code (TestNoProductionImporter scans every
//     non-test file of the module and fails otherwise).
//   - Fails reports a counterexample (a failed check, a panic, or a
//     failure rapid saw but could not reproduce) as failed, with the first
//     message rapid reported; the calling test itself is not failed.
//   - A property that passes, or that only skips (rapid then generates no
//     valid case), is not failed: there is no counterexample.
//   - While Fails runs, rapid writes no fail file, runs up to five rounds
//     of at least 1000 cases each, a fresh random seed per round, until
//     one round fails, and spends at most 500ms shrinking; every rapid
//     flag it changed is restored before it returns.
//   - rapid's FailNow ends only the goroutine Fails runs the check in,
//     never the calling test's goroutine.
//   - Windows and Share follow only the dispatch sequence and the
//     backlogs, never a picker's state; their rules are on the types.
//   - Calls of Fails are serialized, since rapid's flags are
//     process-wide; do not call Fails from a parallel test that shares the
//     process with other rapid checks.
package proptest
