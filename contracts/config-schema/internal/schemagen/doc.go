// Package schemagen generates the configuration JSON Schema from the Go
// types of package config.
//
// Guarantees:
//   - Output depends only on the types and their doc comments: same sources,
//     same bytes (properties in field order, definitions sorted by name).
//   - Every struct forbids unknown fields; fields without omitempty are
//     required; descriptions are the fields' doc comments.
//   - Every integer carries the bounds of its Go type, so a value the Go
//     type cannot hold is refused by the schema.
package schemagen
