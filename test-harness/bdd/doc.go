// Package bdd holds the Gherkin suites of the orchestrator core, run by go
// test with godog.
//
// The feature files under features/ are the readable specification:
// features/orchestrator_core for admission, queueing, fairness, guardrails,
// determinism and observability, features/scheduling for placement. Each
// scenario is tagged with the requirement IDs it proves (@OC-CORE-1002).
//
// Guarantees:
//   - TestFeatures runs every feature in strict mode (an undefined, pending
//     or ambiguous step fails), in a random order whose seed it prints on
//     stderr (seen in the test binary's output pass or fail, and with -v)
//     and which BDD_SEED replays; each scenario is a subtest, so go test
//     -run selects one. TestMutants prints the one seed all its runs use.
//   - The cancel-race scenario (OC-CORE-1008) drives the real Pool from
//     several cancellers and dispatchers at once, checks every task ends
//     once with a cancel result matching its history, and reruns the race
//     on a fresh pool (at most 50 times, no sleeps) until both allowed
//     histories have occurred.
//   - Results go to $BDD_REPORT_DIR/cucumber.json and junit.xml (a
//     temporary directory when unset), for tools/spec-trace.
//   - TestCoverage fails when an OC-CORE ID that .specs/ defines has no
//     tagged scenario, when a tag names an ID that no spec defines, or when
//     a scenario carries no requirement tag.
//   - TestFeatures sets no req attribute; requirement proof per scenario
//     is the tags in the cucumber report.
//   - TestMutants reruns the @mutant-target scenarios against deliberately
//     broken variants of the core and fails unless each variant makes the
//     suite fail on a step, so the suite is shown able to catch a wrong
//     core; each subtest carries the req attribute of its requirement.
//   - Steps drive the core in process through core.Pool's public API
//     (Admit, Next with a replica snapshot, Token, Complete, Fail, Cancel,
//     Tick): no network
//     (except the one reference-engine scenario of OC-CORE-1030, over
//     loopback), no sleeps, time only through an injected clock.
package bdd
