package schema

import _ "embed"

//go:generate go run ../internal/schemagen/cmd/schemagen -src ../config -out config.schema.json

// JSON is the JSON Schema (draft 2020-12) of a configuration file.
//
//go:embed config.schema.json
var JSON []byte
