package load

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// maxValues bounds the values one document may hold after aliases are
// expanded, so an alias bomb ends in a diagnostic instead of exhausting
// memory.
const maxValues = 1 << 16

// maxDepth bounds nesting; a configuration needs four levels.
const maxDepth = 64

// entry remembers where one value of the document was written.
type entry struct {
	node *yaml.Node // the value
	key  *yaml.Node // its key when the value is a mapping field
	path string     // e.g. pools[1].admission_policy
}

// tree is a YAML document turned into JSON-shaped values (map[string]any,
// []any, string, bool, json.Number, nil) plus an index from each value's
// location to its node.
type tree struct {
	value any
	index map[string]entry
	diags []Diagnostic
	file  string
	count int
	open  map[*yaml.Node]bool // collections being walked, to refuse alias cycles
}

// locKey joins location tokens unambiguously, whatever the keys hold.
func locKey(loc []string) string {
	var b strings.Builder
	for _, tok := range loc {
		b.WriteString(strconv.Quote(tok))
	}
	return b.String()
}

// at returns the entry of loc, or of its nearest indexed ancestor.
func (t *tree) at(loc []string) entry {
	for i := len(loc); i >= 0; i-- {
		if e, ok := t.index[locKey(loc[:i])]; ok {
			return e
		}
	}
	return entry{path: RootPath}
}

func (t *tree) report(n *yaml.Node, path, msg string) {
	line, col := 1, 1
	if n != nil && n.Line > 0 {
		line, col = n.Line, max(n.Column, 1)
	}
	t.diags = append(t.diags, Diagnostic{File: t.file, Line: line, Col: col, Path: path, Message: msg})
}

func newTree(file string, doc *yaml.Node) *tree {
	t := &tree{index: map[string]entry{}, file: file, open: map[*yaml.Node]bool{}}
	root := doc
	if doc.Kind == yaml.DocumentNode {
		if len(doc.Content) == 0 {
			t.index[""] = entry{node: doc, path: RootPath}
			return t
		}
		root = doc.Content[0]
	}
	t.value = t.walk(root, nil, nil, RootPath)
	return t
}

// walk converts n, stored at loc under key, and indexes it.
func (t *tree) walk(n, key *yaml.Node, loc []string, path string) any {
	t.index[locKey(loc)] = entry{node: n, key: key, path: path}
	t.count++
	if t.count > maxValues {
		if t.count == maxValues+1 {
			t.report(n, path, fmt.Sprintf("document too large: more than %d values after alias expansion; expected a smaller file", maxValues))
		}
		return nil
	}
	if len(loc) > maxDepth {
		t.report(n, path, fmt.Sprintf("nested more than %d levels; expected a shallower document", maxDepth))
		return nil
	}
	if n.Kind == yaml.AliasNode {
		target := n.Alias
		if target == nil || target.Kind == yaml.AliasNode || target.Kind == yaml.DocumentNode {
			t.report(n, path, "unsupported alias target; expected a value")
			return nil
		}
		if t.open[target] {
			t.report(n, path, "alias refers to a value that contains it; expected a finite value")
			return nil
		}
		n = target
	}
	if n.Kind == yaml.MappingNode || n.Kind == yaml.SequenceNode {
		t.open[n] = true
		defer delete(t.open, n)
	}
	switch n.Kind {
	case yaml.MappingNode:
		return t.mapping(n, loc, path)
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for i, c := range n.Content {
			sub := append(loc[:len(loc):len(loc)], strconv.Itoa(i))
			out = append(out, t.walk(c, nil, sub, fmt.Sprintf("%s[%d]", trimRoot(path), i)))
		}
		return out
	case yaml.ScalarNode:
		return t.scalar(n, path)
	}
	t.report(n, path, "unsupported YAML node; expected a mapping, a sequence or a scalar")
	return nil
}

func (t *tree) mapping(n *yaml.Node, loc []string, path string) any {
	out := make(map[string]any, len(n.Content)/2)
	first := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.AliasNode && k.Alias != nil {
			k = k.Alias
		}
		if k.Kind != yaml.ScalarNode {
			t.report(k, path, "field name is not a scalar; expected a plain string key")
			continue
		}
		if k.Tag == "!!merge" {
			t.report(k, path, "merge keys (<<) are not supported; expected plain fields")
			continue
		}
		name := k.Value
		sub := append(loc[:len(loc):len(loc)], name)
		p := joinPath(path, name)
		if prev, dup := first[name]; dup {
			t.report(k, p, fmt.Sprintf("duplicate field %q; expected each field once (first at line %d)", name, prev.Line))
			continue
		}
		first[name] = k
		out[name] = t.walk(v, k, sub, p)
	}
	return out
}

var plainKey = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)

func trimRoot(path string) string {
	if path == RootPath {
		return ""
	}
	return path
}

func joinPath(parent, name string) string {
	parent = trimRoot(parent)
	if !plainKey.MatchString(name) {
		return parent + "[" + strconv.Quote(name) + "]"
	}
	if parent == "" {
		return name
	}
	return parent + "." + name
}

// scalar converts a scalar by its resolved YAML tag; numbers become
// json.Number so large values keep every digit.
func (t *tree) scalar(n *yaml.Node, path string) any {
	switch n.ShortTag() {
	case "!!null":
		return nil
	case "!!bool":
		var b bool
		if n.Decode(&b) == nil {
			return b
		}
	case "!!int", "!!float":
		var v any
		if n.Decode(&v) != nil {
			break
		}
		switch x := v.(type) {
		case int:
			return json.Number(strconv.Itoa(x))
		case int64:
			return json.Number(strconv.FormatInt(x, 10))
		case uint64:
			return json.Number(strconv.FormatUint(x, 10))
		case float64:
			if math.IsNaN(x) || math.IsInf(x, 0) {
				t.report(n, path, fmt.Sprintf("%s is not a finite number; expected a number", n.Value))
				return nil
			}
			if x == math.Trunc(x) {
				i, _ := big.NewFloat(x).Int(nil)
				return json.Number(i.String())
			}
			return json.Number(strconv.FormatFloat(x, 'g', -1, 64))
		}
	}
	return n.Value
}
