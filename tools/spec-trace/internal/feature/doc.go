// Package feature reads Gherkin .feature files for requirement tags, so
// that a tagged scenario that never ran is still seen as a reference.
//
// Guarantees:
//   - Parsing uses the official cucumber Gherkin parser; a syntax error is
//     reported with the file and line.
//   - Each Scenario is one test at the scenario's line; each example row of
//     a Scenario Outline is one test at the row's line, matching the lines
//     that cucumber JSON results use.
//   - A test's references are the @ID tags of its feature, rule, scenario
//     and examples block; other tags are ignored.
//   - Every test has status notrun; results come from elsewhere.
package feature
