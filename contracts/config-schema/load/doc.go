// Package load reads an orchestrator configuration file into the types of
// package config and reports every problem with its position.
//
//	cfg, diags, err := load.File("pools.yaml", load.Strict)
//	cfg, diags, err := load.Parse("inline.yaml", data, load.Compat)
//
// A file is YAML or JSON (JSON is read as YAML). Parse checks it in three
// steps: the YAML is read into a node tree that keeps every line and
// column; the tree is validated against the JSON Schema generated from the
// config types (package schema); then the rules the schema cannot express
// are checked (unique names, ids and ranks, replica sets naming defined
// pools, retry cap >= base).
//
// Guarantees:
//   - Parse never panics, whatever the input (a fuzz target checks it).
//   - Every problem is a Diagnostic with the file, a 1-based line and
//     column, the field path (pools[1].admission_policy) and a message that
//     says what was expected; String formats it FILE:LINE:COL: PATH: message.
//   - A file that is not well-formed YAML yields exactly one Error
//     diagnostic, at the first line where it fails.
//   - Unknown fields are errors in Strict mode and warnings in Compat mode;
//     everything else is an error in both.
//   - The returned *config.Config is non-nil exactly when no diagnostic is
//     an Error; it then satisfies the schema and the semantic rules.
//   - Diagnostics are sorted by line, column, path and message, so the same
//     input always gives the same output.
//   - Anchors and aliases are expanded, with cycles refused and at most 65536
//     values after expansion; merge keys (<<) are refused.
//   - File's error is non-nil only when the file cannot be read; problems
//     with the content are always diagnostics.
package load
