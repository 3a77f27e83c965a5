package load

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strconv"

	"gopkg.in/yaml.v3"

	"orchcore.dev/contracts/config-schema/config"
)

// File reads and parses the file at path, which names it in diagnostics;
// see Parse. The error is non-nil only when the file cannot be read.
func File(path string, mode Mode) (*config.Config, []Diagnostic, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	return Parse(path, data, mode)
}

// Parse reads a YAML or JSON configuration. name is used in diagnostics.
//
// Problems with the content come back as diagnostics sorted by position;
// the Config is nil exactly when one of them is an Error. The error return
// is reserved for failures outside the content (an unusable embedded
// schema).
func Parse(name string, data []byte, mode Mode) (*config.Config, []Diagnostic, error) {
	c, err := loadSchema()
	if err != nil {
		return nil, nil, err
	}
	doc, d := decode(name, data)
	if d != nil {
		return nil, []Diagnostic{*d}, nil
	}
	t := newTree(name, doc)
	c.structure(t, mode)
	var cfg *config.Config
	if !HasErrors(t.diags) {
		cfg = &config.Config{}
		if err := roundTrip(t.value, cfg); err != nil {
			t.report(nil, RootPath, "cannot read values: "+err.Error())
		} else {
			semantics(t, cfg)
		}
	}
	sortDiags(t.diags)
	if HasErrors(t.diags) {
		cfg = nil
	}
	return cfg, t.diags, nil
}

// roundTrip fills cfg from the schema-checked tree through encoding/json, so
// the json tags are the only field names.
func roundTrip(v any, cfg *config.Config) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, cfg)
}

// decode parses exactly one YAML document.
func decode(name string, data []byte) (*yaml.Node, *Diagnostic) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	err := dec.Decode(&doc)
	if errors.Is(err, io.EOF) {
		return &yaml.Node{Kind: yaml.DocumentNode}, nil
	}
	if err != nil {
		return nil, syntaxDiag(name, data, err)
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case errors.Is(err, io.EOF):
		return &doc, nil
	case err != nil:
		return nil, syntaxDiag(name, data, err)
	}
	return nil, &Diagnostic{File: name, Line: max(next.Line, 1), Col: 1, Path: RootPath,
		Message: "a second YAML document starts here; expected exactly one document"}
}

var lineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// syntaxDiag turns a parser error into one diagnostic. yaml.v3 reports the
// line where the enclosing construct starts, or none at all for some scanner
// errors (a tab in indentation), so the line reported is the first one at
// which a prefix of the file fails with the same error.
func syntaxDiag(name string, data []byte, err error) *Diagnostic {
	msg := err.Error()
	line := firstFailingLine(data, msg)
	if m := lineRE.FindStringSubmatch(msg); m != nil {
		if line == 0 {
			line, _ = strconv.Atoi(m[1])
		}
		msg = m[2]
	}
	msg = trimYAML(msg)
	return &Diagnostic{File: name, Line: max(line, 1), Col: 1, Path: RootPath,
		Message: fmt.Sprintf("invalid YAML: %s; expected a well-formed YAML or JSON document", msg)}
}

func trimYAML(s string) string {
	if len(s) > 6 && s[:6] == "yaml: " {
		return s[6:]
	}
	return s
}

// firstFailingLine binary-searches the smallest number of leading lines
// that fail to parse with the same message. It gives up (0) on large input.
func firstFailingLine(data []byte, msg string) int {
	if len(data) > 1<<20 {
		return 0
	}
	var ends []int
	for i, b := range data {
		if b == '\n' {
			ends = append(ends, i+1)
		}
	}
	ends = append(ends, len(data))
	fails := func(k int) bool {
		dec := yaml.NewDecoder(bytes.NewReader(data[:ends[k-1]]))
		for {
			var n yaml.Node
			err := dec.Decode(&n)
			if err == nil {
				continue
			}
			return err.Error() == msg
		}
	}
	k := sort.Search(len(ends), func(i int) bool { return fails(i + 1) })
	if k == len(ends) {
		return 0
	}
	return k + 1
}

func sortDiags(ds []Diagnostic) {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i], ds[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		return a.Message < b.Message
	})
}
