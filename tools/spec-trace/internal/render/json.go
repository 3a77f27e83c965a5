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

// ReadJSON reads a report written by JSON and checks its schema.
func ReadJSON(rd io.Reader, name string) (*model.Report, error) {
	var r model.Report
	dec := json.NewDecoder(rd)
	if err := dec.Decode(&r); err != nil {
		return nil, fmt.Errorf("%s: not a spec-trace JSON report: %w", name, err)
	}
	if r.Schema != model.Schema {
		return nil, fmt.Errorf("%s: schema %q, want %q", name, r.Schema, model.Schema)
	}
	return &r, nil
}
