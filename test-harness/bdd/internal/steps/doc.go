// Package steps holds the step definitions of the Gherkin suites.
//
// Guarantees:
//   - All state of a scenario lives in one world value made by the
//     scenario initializer; there are no package-level variables.
//   - Steps reach the system under test only through a [sut.System], so
//     the same scenarios run against the real core and against mutants.
//   - Time moves only through the scenario's fake clock; no step sleeps.
//   - A Then step returns an error that says what was expected and what
//     was seen.
package steps
