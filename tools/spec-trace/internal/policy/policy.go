package policy

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"orchcore.dev/tools/spec-trace/internal/ids"
	"orchcore.dev/tools/spec-trace/internal/model"
	"orchcore.dev/tools/spec-trace/internal/yamlx"
)

// Policy is a parsed policy file.
type Policy struct {
	File  string
	Rules []Rule
}

// Rule says which evidence the requirements it selects need.
type Rule struct {
	ID, Area, Level string
	// Need lists alternatives; each is a set of kinds that must all
	// have a passing test. Nil means any kind.
	Need [][]string
	Text string // require as written
	Why  string
	Line int
}

func (r Rule) rank() int {
	switch {
	case r.ID != "":
		return 4
	case r.Area != "" && r.Level != "":
		return 3
	case r.Area != "":
		return 2
	}
	return 1
}

func (r Rule) selector() string {
	return r.ID + "\x00" + r.Area + "\x00" + r.Level
}

// Load reads a policy file.
func Load(path, name string) (*Policy, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(name, data)
}

// Parse reads policy text; name is used in errors.
func Parse(name string, data []byte) (*Policy, error) {
	p := &Policy{File: name}
	top, err := yamlx.Parse(name, data)
	if err != nil || top == nil {
		return p, err
	}
	keys, err := yamlx.Map(name, top, "the policy", "version", "rules")
	if err != nil {
		return nil, err
	}
	if v, ok := keys["version"]; ok {
		if s, err := yamlx.String(name, v, "version 1"); err != nil {
			return nil, err
		} else if s != "1" {
			return nil, yamlx.At(name, v, "version %q; want 1", s)
		}
	}
	rules, ok := keys["rules"]
	if !ok {
		return p, nil
	}
	items, err := yamlx.List(name, rules, "rules")
	if err != nil {
		return nil, err
	}
	seen := map[string]int{}
	for _, it := range items {
		r, err := rule(name, it)
		if err != nil {
			return nil, err
		}
		if first, dup := seen[r.selector()]; dup {
			return nil, yamlx.At(name, it, "a second rule for the same selector (first at line %d); want one rule per id, area, level or area and level", first)
		}
		seen[r.selector()] = r.Line
		p.Rules = append(p.Rules, r)
	}
	return p, nil
}

func rule(name string, n *yaml.Node) (Rule, error) {
	m, err := yamlx.Map(name, n, "a rule", "id", "area", "level", "require", "why")
	if err != nil {
		return Rule{}, err
	}
	r := Rule{Line: n.Line}
	get := func(key, what string) (string, *yaml.Node, error) {
		v, ok := m[key]
		if !ok {
			return "", nil, nil
		}
		s, err := yamlx.String(name, v, what)
		return s, v, err
	}
	var v *yaml.Node
	if r.ID, v, err = get("id", "a requirement ID such as OC-CORE-1002"); err != nil {
		return r, err
	} else if v != nil {
		if _, _, ok := ids.Split(r.ID); !ok {
			return r, yamlx.At(name, v, "%q is not a requirement ID; want PREFIX-NNNN such as OC-CORE-1002", r.ID)
		}
	}
	if r.Area, v, err = get("area", "an area prefix such as OC-CORE"); err != nil {
		return r, err
	} else if v != nil && (strings.ContainsAny(r.Area, " \t") || strings.HasSuffix(r.Area, "-")) {
		return r, yamlx.At(name, v, "%q is not an area prefix; want one such as OC-CORE", r.Area)
	} else if area, _, isID := ids.Split(r.Area); v != nil && isID {
		return r, yamlx.At(name, v, "%q is a requirement ID, not an area prefix; want id: %s for one requirement, or area: %s for its area", r.Area, r.Area, area)
	}
	if r.Level, v, err = get("level", "MUST, SHOULD or MAY"); err != nil {
		return r, err
	} else if v != nil && !slices.Contains(model.Levels, r.Level) {
		return r, yamlx.At(name, v, "level %q; want MUST, SHOULD or MAY", r.Level)
	}
	if r.ID != "" && (r.Area != "" || r.Level != "") {
		return r, yamlx.At(name, n, "a rule with id and also area or level; want id alone, or area and/or level")
	}
	if r.ID == "" && r.Area == "" && r.Level == "" {
		return r, yamlx.At(name, n, "a rule without id, area or level; want at least one of them to say what it applies to")
	}
	if r.Why, _, err = get("why", "the reason for the rule"); err != nil {
		return r, err
	}
	req, ok := m["require"]
	if !ok {
		return r, yamlx.At(name, n, "a rule without require; want require: such as \"go and gherkin\" or \"go or junit\"")
	}
	if r.Text, err = yamlx.String(name, req, "evidence kinds such as \"go and gherkin\""); err != nil {
		return r, err
	}
	if r.Need, err = need(r.Text); err != nil {
		return r, yamlx.At(name, req, "%v", err)
	}
	return r, nil
}

// need parses "go and gherkin or junit".
func need(s string) ([][]string, error) {
	f := strings.Fields(s)
	if len(f) == 1 && f[0] == "any" {
		return nil, nil
	}
	var out [][]string
	cur := []string{}
	want := "kind"
	for _, w := range f {
		switch want {
		case "kind":
			if !slices.Contains(model.Kinds, w) {
				return nil, fmt.Errorf("%q in require %q; want an evidence kind: go, gherkin or junit (or require: any)", w, s)
			}
			if !slices.Contains(cur, w) {
				cur = append(cur, w)
			}
			want = "op"
		case "op":
			switch w {
			case "and":
			case "or":
				out = append(out, cur)
				cur = []string{}
			default:
				return nil, fmt.Errorf("%q in require %q; want \"and\" or \"or\" between kinds", w, s)
			}
			want = "kind"
		}
	}
	if want == "kind" {
		return nil, fmt.Errorf("require %q ends without a kind; want kinds joined by and/or, such as \"go and gherkin\"", s)
	}
	return append(out, cur), nil
}

// For returns the rule that applies to q, or nil.
func (p *Policy) For(q model.Requirement) *Rule {
	var best *Rule
	for i := range p.Rules {
		r := &p.Rules[i]
		if !r.matches(q) {
			continue
		}
		if best == nil || r.rank() > best.rank() {
			best = r
		}
	}
	return best
}

func (r *Rule) matches(q model.Requirement) bool {
	switch {
	case r.ID != "":
		return q.ID == r.ID
	case r.Level != "" && q.Level != r.Level:
		return false
	case r.Area != "":
		return q.Area == r.Area || strings.HasPrefix(q.ID, r.Area+"-")
	}
	return true
}

// Missing returns the kinds the rule needs that have is lacking, joined
// by "and", or "" when an alternative is met.
func (r *Rule) Missing(have map[string]bool) string {
	var best []string
	for i, alt := range r.Need {
		var miss []string
		for _, k := range alt {
			if !have[k] {
				miss = append(miss, k)
			}
		}
		if len(miss) == 0 {
			return ""
		}
		if i == 0 || len(miss) < len(best) {
			best = miss
		}
	}
	return strings.Join(best, " and ")
}

// Apply marks the proven or flaky requirements that lack a required
// kind as partial, and notes rules for IDs that no spec defines.
func (p *Policy) Apply(r *model.Report) {
	if p == nil {
		return
	}
	for i := range r.Requirements {
		q := &r.Requirements[i]
		rule := p.For(*q)
		if rule == nil || rule.Need == nil {
			continue
		}
		have := map[string]bool{}
		for _, t := range q.Tests {
			if t.Status == model.Passed || t.Status == model.FlakyRun {
				have[t.Kind] = true
			}
		}
		miss := rule.Missing(have)
		if miss == "" {
			continue
		}
		switch q.Status {
		case model.Proven, model.Flaky:
			q.Status, q.Missing = model.Partial, miss
		case model.Partial:
			q.Missing = miss
		}
	}
	defined := map[string]bool{}
	for _, q := range r.Requirements {
		defined[q.ID] = true
	}
	for _, rule := range p.Rules {
		if rule.ID != "" && !defined[rule.ID] {
			r.Notes = append(r.Notes, fmt.Sprintf("%s:%d: policy rule for %s, which no spec defines", p.File, rule.Line, rule.ID))
		}
	}
}
