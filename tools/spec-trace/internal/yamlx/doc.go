// Package yamlx reads the small YAML files of spec-trace (the evidence
// policy and the waivers) with errors that say where and what was wanted.
//
// Guarantees:
//   - Every error is an *Error with the file, a line and column of at
//     least 1, and a message that names what was expected there.
//   - Unknown keys, duplicate keys, wrong node kinds and several YAML
//     documents in one file are errors, never silently ignored.
//   - An empty file (or one holding only comments) is an empty mapping.
package yamlx
