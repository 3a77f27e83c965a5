package load

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"orchcore.dev/contracts/config-schema/schema"
)

// compiled is the embedded schema, compiled once, plus its raw form for
// looking up field names and types.
type compiled struct {
	sch *jsonschema.Schema
	raw map[string]any
}

var loadSchema = sync.OnceValues(func() (*compiled, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schema.JSON))
	if err != nil {
		return nil, fmt.Errorf("load: embedded schema: %w", err)
	}
	c := jsonschema.NewCompiler()
	const url = "mem:///config.schema.json"
	if err := c.AddResource(url, doc); err != nil {
		return nil, fmt.Errorf("load: embedded schema: %w", err)
	}
	sch, err := c.Compile(url)
	if err != nil {
		return nil, fmt.Errorf("load: embedded schema: %w", err)
	}
	raw, _ := doc.(map[string]any)
	return &compiled{sch: sch, raw: raw}, nil
})

var printer = message.NewPrinter(language.English)

// structure validates t against the schema and appends one diagnostic per
// failed keyword. Unknown fields get the mode's severity.
func (c *compiled) structure(t *tree, mode Mode) {
	err := c.sch.Validate(t.value)
	var ve *jsonschema.ValidationError
	if err == nil || !errors.As(err, &ve) {
		return
	}
	seen := map[string]bool{}
	for _, d := range t.diags {
		seen[d.Path] = true
	}
	var leaves []*jsonschema.ValidationError
	collect(ve, &leaves)
	for _, l := range leaves {
		for _, d := range c.explain(t, l, mode) {
			if !seen[d.Path] || d.Severity == Warning {
				t.diags = append(t.diags, d)
			}
		}
	}
}

func collect(e *jsonschema.ValidationError, out *[]*jsonschema.ValidationError) {
	if len(e.Causes) == 0 {
		*out = append(*out, e)
		return
	}
	for _, c := range e.Causes {
		collect(c, out)
	}
}

// explain turns one failed keyword into diagnostics that say what was
// expected.
func (c *compiled) explain(t *tree, l *jsonschema.ValidationError, mode Mode) []Diagnostic {
	loc := l.InstanceLocation
	e := t.at(loc)
	diag := func(e entry, msg string) Diagnostic {
		d := Diagnostic{File: t.file, Line: 1, Col: 1, Path: e.path, Message: msg}
		if n := e.node; n != nil && n.Line > 0 {
			d.Line, d.Col = n.Line, max(n.Column, 1)
		}
		return d
	}
	switch k := l.ErrorKind.(type) {
	case *kind.AdditionalProperties:
		known := c.fields(loc)
		parent, _ := lookup(t.value, loc).(map[string]any)
		var out []Diagnostic
		for _, p := range k.Properties {
			// Drop the field so that no look-alike (encoding/json matches
			// names case-insensitively) reaches the Config in compat mode.
			delete(parent, p)
			sub := append(slices.Clone(loc), p)
			fe := t.at(sub)
			if fe.key != nil {
				fe.node = fe.key
			}
			d := diag(fe, fmt.Sprintf("unknown field %q; expected one of: %s", p, strings.Join(known, ", ")))
			if mode == Compat {
				d.Severity = Warning
			}
			out = append(out, d)
		}
		return out
	case *kind.Required:
		var out []Diagnostic
		for _, p := range k.Missing {
			d := diag(e, fmt.Sprintf("missing required field %q; expected %s", p, c.describe(append(slices.Clone(loc), p))))
			d.Path = joinPath(e.path, p)
			out = append(out, d)
		}
		return out
	}
	return []Diagnostic{diag(e, c.message(t, l))}
}

// message words every other keyword as "expected ..., got ...".
func (c *compiled) message(t *tree, l *jsonschema.ValidationError) string {
	switch k := l.ErrorKind.(type) {
	case *kind.Type:
		want := make([]string, len(k.Want))
		for i, w := range k.Want {
			want[i] = yamlType(w)
		}
		return fmt.Sprintf("expected %s, got %s", strings.Join(want, " or "), show(yamlType(k.Got), lookup(t.value, l.InstanceLocation)))
	case *kind.Enum:
		want := make([]string, len(k.Want))
		for i, w := range k.Want {
			want[i] = display(w)
		}
		if len(want) == 1 {
			return fmt.Sprintf("expected %s, got %s", want[0], display(k.Got))
		}
		return fmt.Sprintf("expected one of %s, got %s", strings.Join(want, ", "), display(k.Got))
	case *kind.Minimum:
		return fmt.Sprintf("expected a value >= %s, got %s", k.Want.RatString(), k.Got.RatString())
	case *kind.Maximum:
		return fmt.Sprintf("expected a value <= %s, got %s", k.Want.RatString(), k.Got.RatString())
	case *kind.MinLength:
		if k.Want == 1 {
			return "expected a non-empty string"
		}
		return fmt.Sprintf("expected at least %d characters, got %d", k.Want, k.Got)
	case *kind.MinItems:
		return fmt.Sprintf("expected at least %d item(s), got %d", k.Want, k.Got)
	case *kind.MaxItems:
		return fmt.Sprintf("expected at most %d item(s), got %d", k.Want, k.Got)
	case *kind.UniqueItems:
		return fmt.Sprintf("expected unique items, but items %d and %d are equal", k.Duplicates[0], k.Duplicates[1])
	case *kind.Pattern:
		return fmt.Sprintf("expected a name matching %s, got %q", k.Want, k.Got)
	}
	return "expected a value that satisfies the schema: " + l.ErrorKind.LocalizedString(printer)
}

// yamlType words a JSON Schema type the way a YAML author thinks of it.
func yamlType(t string) string {
	switch t {
	case "object":
		return "mapping"
	case "array":
		return "list"
	}
	return t
}

// show names a JSON type and, for scalars, the value.
func show(typ string, v any) string {
	switch v.(type) {
	case string, json.Number, bool:
		return typ + " " + display(v)
	}
	return typ
}

func display(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func lookup(v any, loc []string) any {
	for _, tok := range loc {
		switch x := v.(type) {
		case map[string]any:
			v = x[tok]
		case []any:
			i := 0
			if _, err := fmt.Sscan(tok, &i); err != nil || i < 0 || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

// node returns the raw schema object for an instance location, following
// $ref, properties and items.
func (c *compiled) node(loc []string) map[string]any {
	s := c.deref(c.raw)
	for _, tok := range loc {
		if props, ok := s["properties"].(map[string]any); ok {
			p, _ := props[tok].(map[string]any)
			s = c.deref(p)
			continue
		}
		items, _ := s["items"].(map[string]any)
		s = c.deref(items)
	}
	return s
}

func (c *compiled) deref(s map[string]any) map[string]any {
	for range 8 {
		ref, ok := s["$ref"].(string)
		if !ok {
			return s
		}
		defs, _ := c.raw["$defs"].(map[string]any)
		s, _ = defs[strings.TrimPrefix(ref, "#/$defs/")].(map[string]any)
	}
	return s
}

// fields lists the field names the schema allows at loc, sorted.
func (c *compiled) fields(loc []string) []string {
	props, _ := c.node(loc)["properties"].(map[string]any)
	out := make([]string, 0, len(props))
	for k := range props {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// describe words the schema type at loc, e.g. "a string" or "a list of
// PriorityClass".
func (c *compiled) describe(loc []string) string {
	s := c.node(loc)
	switch typ, _ := s["type"].(string); typ {
	case "string":
		return "a string"
	case "integer":
		return "an integer"
	case "boolean":
		return "true or false"
	case "array":
		return "a list"
	case "object":
		return "a mapping"
	case "":
		return "a value"
	default:
		return "a " + typ
	}
}
