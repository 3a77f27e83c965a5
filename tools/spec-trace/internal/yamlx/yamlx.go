package yamlx

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Error is a problem at a place in a file.
type Error struct {
	File      string
	Line, Col int
	Msg       string
}

func (e *Error) Error() string { return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg) }

// At makes an error at n.
func At(file string, n *yaml.Node, format string, args ...any) *Error {
	line, col := 1, 1
	if n != nil && n.Line > 0 {
		line, col = n.Line, max(n.Column, 1)
	}
	return &Error{file, line, col, fmt.Sprintf(format, args...)}
}

var yamlLine = regexp.MustCompile(`^yaml: line ([0-9]+): (.*)$`)

// Parse reads one YAML document and returns its top mapping (nil when
// the file is empty).
func Parse(file string, data []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		return nil, syntax(file, err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, At(file, &extra, "a second YAML document; want one document per file")
	} else if !errors.Is(err, io.EOF) {
		return nil, syntax(file, err)
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	top := doc.Content[0]
	if top.Kind == yaml.ScalarNode && top.Tag == "!!null" {
		return nil, nil
	}
	if top.Kind != yaml.MappingNode {
		return nil, At(file, top, "a %s; want a mapping of keys at the top", kind(top))
	}
	return top, nil
}

func syntax(file string, err error) error {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &Error{file, max(line, 1), 1, "YAML syntax: " + m[2]}
	}
	return &Error{file, 1, 1, "YAML syntax: " + strings.TrimPrefix(msg, "yaml: ")}
}

// Map returns the values of mapping n by key, rejecting keys not in
// allowed, duplicate keys and non-string keys.
func Map(file string, n *yaml.Node, what string, allowed ...string) (map[string]*yaml.Node, error) {
	if n.Kind != yaml.MappingNode {
		return nil, At(file, n, "a %s; want %s (a mapping with keys %s)", kind(n), what, strings.Join(allowed, ", "))
	}
	out := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			return nil, At(file, k, "a %s as key; want one of %s", kind(k), strings.Join(allowed, ", "))
		}
		if !slices.Contains(allowed, k.Value) {
			return nil, At(file, k, "unknown key %q in %s; want one of %s", k.Value, what, strings.Join(allowed, ", "))
		}
		if _, dup := out[k.Value]; dup {
			return nil, At(file, k, "key %q given twice in %s", k.Value, what)
		}
		out[k.Value] = v
	}
	return out, nil
}

// String returns a scalar's text, rejecting other nodes and empty text.
func String(file string, n *yaml.Node, what string) (string, error) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return "", At(file, n, "a %s; want %s", kind(n), what)
	}
	if strings.TrimSpace(n.Value) == "" {
		return "", At(file, n, "empty text; want %s", what)
	}
	return strings.TrimSpace(n.Value), nil
}

// List returns a sequence's items.
func List(file string, n *yaml.Node, what string) ([]*yaml.Node, error) {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil, nil
	}
	if n.Kind != yaml.SequenceNode {
		return nil, At(file, n, "a %s; want %s (a list)", kind(n), what)
	}
	return n.Content, nil
}

func kind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	case yaml.AliasNode:
		return "alias"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "null value"
		}
		return fmt.Sprintf("scalar %q", clip(n.Value))
	}
	return "document"
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
