package cli

import (
	"encoding/json"
	"fmt"
	"os"

	"orchcore.dev/tools/spec-trace/internal/model"
)

// Baseline is what staleness needs of an earlier report: the rule hash
// and the proving tests' source hashes. Reading only that is cheaper than
// the whole report.
type Baseline struct {
	Schema       string `json:"schema"`
	Requirements []struct {
		ID    string `json:"id"`
		Hash  string `json:"hash"`
		Tests []struct {
			Name    string `json:"name"`
			Kind    string `json:"kind"`
			Package string `json:"package"`
			File    string `json:"file"`
			Line    int    `json:"line"`
			Hash    string `json:"hash"`
		} `json:"tests"`
	} `json:"requirements"`
}

// LoadBaseline reads a coverage.json of this schema as a baseline.
func LoadBaseline(path string) (*model.Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var b Baseline
	if err := json.NewDecoder(f).Decode(&b); err != nil {
		return nil, fmt.Errorf("%s: not a spec-trace JSON report: %w", path, err)
	}
	switch b.Schema {
	case model.Schema:
	case model.SchemaV1:
		return nil, fmt.Errorf("%s: schema %q is older than %q and carries no rule or test hashes; regenerate it with this spec-trace", path, b.Schema, model.Schema)
	default:
		return nil, fmt.Errorf("%s: schema %q, want %q", path, b.Schema, model.Schema)
	}
	r := &model.Report{Schema: b.Schema, Requirements: make([]model.Requirement, len(b.Requirements))}
	for i, q := range b.Requirements {
		ts := make([]model.Test, len(q.Tests))
		for k, t := range q.Tests {
			ts[k] = model.Test{Name: t.Name, Kind: t.Kind, Package: t.Package, File: t.File, Line: t.Line, Hash: t.Hash}
		}
		r.Requirements[i] = model.Requirement{ID: q.ID, Hash: q.Hash, Tests: ts}
	}
	return r, nil
}
