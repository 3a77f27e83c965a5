package schemagen

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"strconv"

	"github.com/invopop/jsonschema"

	"orchcore.dev/contracts/config-schema/config"
)

// ID is the schema's $id.
const ID = "https://orchcore.dev/contracts/config-schema/config.schema.json"

// Generate returns the schema, indented, with a trailing newline. srcDir is
// the directory of package config's sources; their doc comments become
// descriptions.
func Generate(srcDir string) ([]byte, error) {
	docs, err := comments(srcDir)
	if err != nil {
		return nil, err
	}
	r := &jsonschema.Reflector{
		ExpandedStruct: true,
		Mapper:         integers,
		LookupComment: func(t reflect.Type, field string) string {
			if field == "" {
				return docs[t.Name()]
			}
			return docs[t.Name()+"."+field]
		},
	}
	s := r.Reflect(&config.Config{})
	s.ID = ID
	s.Title = "orchcore configuration"
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// integers gives each Go integer kind its range.
func integers(t reflect.Type) *jsonschema.Schema {
	switch t.Kind() {
	case reflect.Int, reflect.Int64:
		return &jsonschema.Schema{
			Type:    "integer",
			Minimum: json.Number(strconv.FormatInt(math.MinInt64, 10)),
			Maximum: json.Number(strconv.FormatInt(math.MaxInt64, 10)),
		}
	case reflect.Uint64:
		return &jsonschema.Schema{
			Type:    "integer",
			Minimum: json.Number("0"),
			Maximum: json.Number(strconv.FormatUint(math.MaxUint64, 10)),
		}
	}
	return nil
}
