// Package schema holds the JSON Schema of the orchestrator configuration,
// generated from the Go types in package config.
//
// Guarantees:
//   - JSON is exactly the committed config.schema.json.
//   - The file is regenerated with `go generate ./...` from the module root
//     and regenerating it changes no byte (a test proves it).
package schema

import _ "embed"

//go:generate go run ../internal/schemagen/cmd/schemagen -src ../config -out config.schema.json

// JSON is the JSON Schema (draft 2020-12) of a configuration file.
//
//go:embed config.schema.json
var JSON []byte
