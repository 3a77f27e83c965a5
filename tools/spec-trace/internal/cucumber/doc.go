// Package cucumber reads cucumber JSON results, as written by godog's
// "cucumber" formatter and by other cucumber implementations.
//
// Guarantees:
//   - The file is a JSON array of features; it is decoded one feature at a
//     time, so memory is bounded by the largest feature, not the file.
//   - Every scenario element (each Scenario Outline example row is its own
//     element) becomes one gherkin test keyed by the feature URI and the
//     element's line. Background elements are folded into the scenario that
//     follows them.
//   - Requirement references are the tags shaped like @ID or @ID..NNNN on
//     the feature and on the element (godog already copies feature, rule
//     and example tags onto the element); other tags are ignored.
//   - A scenario passed only when it has steps and every step and hook
//     passed; it failed when a step or hook failed or was ambiguous; it is
//     skipped otherwise (skipped, pending or undefined steps, or no steps),
//     with a note naming the first step that did not pass.
//   - Malformed JSON is an error with the byte offset; ParseFile turns the
//     offset into a line number.
package cucumber
