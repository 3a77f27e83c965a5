// Package featuretags reads the requirement tags of Gherkin feature files.
//
// Guarantees:
//   - Tags are read per scenario as Cucumber compiles them (pickles): a
//     scenario carries its own tags, its feature's and its Examples'.
//   - Every ID tag, ranges expanded, maps to the scenarios that carry it,
//     in file and line order.
//   - Scenarios with no requirement tag are listed under the key "".
//   - A file that does not parse is an error naming the file.
package featuretags
