// Package schema holds the JSON Schema of the orchestrator configuration,
// generated from the Go types in package config.
//
// Guarantees:
//   - JSON is exactly the committed config.schema.json.
//   - The file is regenerated with `go generate ./...` from the module root
//     and regenerating it changes no byte (a test proves it).
package schema
