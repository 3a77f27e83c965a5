package render

import (
	"encoding/json"
	"fmt"
	"io"

	"orchcore.dev/tools/spec-trace/internal/model"
)

// JSON writes the model, indented.
func JSON(w io.Writer, r *model.Report) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// ReadJSON reads a report written by JSON, of this schema or of
// model.SchemaV1 (whose requirements then lack text and hashes).
func ReadJSON(rd io.Reader, name string) (*model.Report, error) {
	var r model.Report
	dec := json.NewDecoder(rd)
	if err := dec.Decode(&r); err != nil {
		return nil, fmt.Errorf("%s: not a spec-trace JSON report: %w", name, err)
	}
	if r.Schema != model.Schema && r.Schema != model.SchemaV1 {
		return nil, fmt.Errorf("%s: schema %q, want %q (or %q)", name, r.Schema, model.Schema, model.SchemaV1)
	}
	return &r, nil
}

// ReadCurrent is ReadJSON that accepts only this schema: a baseline and
// the reports of spec-trace pr need the rule and test hashes.
func ReadCurrent(rd io.Reader, name string) (*model.Report, error) {
	r, err := ReadJSON(rd, name)
	if err != nil {
		return nil, err
	}
	if r.Schema != model.Schema {
		return nil, fmt.Errorf("%s: schema %q is older than %q and carries no rule or test hashes; regenerate it with this spec-trace", name, r.Schema, model.Schema)
	}
	return r, nil
}
