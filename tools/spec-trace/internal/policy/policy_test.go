package policy_test

import (
	"errors"
	"strings"
	"testing"

	"orchcore.dev/tools/spec-trace/internal/model"
	"orchcore.dev/tools/spec-trace/internal/policy"
	"orchcore.dev/tools/spec-trace/internal/yamlx"
)

const src = `version: 1
rules:
  - level: MUST
    require: go
  - area: OC-CORE
    require: go and gherkin
    why: both suites
  - area: OC-CORE
    level: SHOULD
    require: gherkin
  - id: OC-CORE-1002
    require: go or junit
  - area: OC-ANY
    require: any
`

func tests(kinds ...string) []model.Test {
	var out []model.Test
	for _, k := range kinds {
		st := model.Passed
		if name, ok := strings.CutSuffix(k, "!"); ok {
			k, st = name, model.Failed
		}
		if name, ok := strings.CutSuffix(k, "?"); ok {
			k, st = name, model.Skipped
		}
		out = append(out, model.Test{Name: "T" + k, Kind: k, Status: st, Reqs: []string{"x"}})
	}
	return out
}

func TestPolicyMarksPartial(t *testing.T) {
	t.Attr("req", "OC-TRACE-9008")
	p, err := policy.Parse("p.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		id, level string
		tests     []model.Test
		status    string
		missing   string
	}{
		{"OC-CORE-1001", model.Must, tests("go"), model.Partial, "gherkin"},
		{"OC-CORE-1001", model.Must, tests("go", "gherkin"), model.Proven, ""},
		{"OC-CORE-1001", model.Must, tests("gherkin"), model.Partial, "go"},
		{"OC-CORE-1001", model.Must, tests("go", "gherkin?"), model.Partial, "gherkin"}, // a skip is not evidence
		{"OC-CORE-1001", model.Must, tests("go", "gherkin!"), model.Failing, ""},        // failing stays failing
		{"OC-CORE-1003", model.Should, tests("go"), model.Partial, "gherkin"},           // area and level beat area
		{"OC-CORE-1003", model.Should, tests("gherkin"), model.Proven, ""},
		{"OC-CORE-1002", model.Must, tests("junit"), model.Proven, ""}, // id beats area
		{"OC-CORE-1002", model.Must, tests("gherkin"), model.Partial, "go"},
		{"OC-TRACE-9001", model.Must, tests("gherkin"), model.Partial, "go"}, // level rule
		{"OC-TRACE-9005", model.Should, tests("gherkin"), model.Proven, ""},  // no rule: any kind
		{"OC-ANY-1", model.Must, tests("junit"), model.Proven, ""},           // area "any" beats the MUST rule
		{"OC-COREX-1", model.Must, tests("gherkin"), model.Partial, "go"},    // OC-CORE is not a prefix of OC-COREX
	}
	for _, c := range cases {
		rep := model.Build([]model.Requirement{{ID: c.id, Level: c.level}}, relabel(c.tests, c.id), nil)
		p.Apply(&rep)
		q := rep.Requirements[0]
		if q.Status != c.status || q.Missing != c.missing {
			t.Errorf("%s %s with %v: %s missing %q; want %s missing %q", c.id, c.level, kinds(c.tests), q.Status, q.Missing, c.status, c.missing)
		}
	}
}

func relabel(ts []model.Test, id string) []model.Test {
	for i := range ts {
		ts[i].Reqs = []string{id}
	}
	return ts
}

func kinds(ts []model.Test) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.Kind+":"+t.Status)
	}
	return out
}

// "go and gherkin or junit": the alternative that needs fewest kinds is
// named.
func TestMissingNamesTheClosestAlternative(t *testing.T) {
	t.Attr("req", "OC-TRACE-9008")
	p, err := policy.Parse("p.yaml", []byte("rules:\n  - level: MUST\n    require: go and gherkin and junit or go and junit\n"))
	if err != nil {
		t.Fatal(err)
	}
	rep := model.Build([]model.Requirement{{ID: "A-1", Level: model.Must}}, relabel(tests("go"), "A-1"), nil)
	p.Apply(&rep)
	if q := rep.Requirements[0]; q.Missing != "junit" {
		t.Errorf("missing %q, want junit", q.Missing)
	}
}

func TestPolicyErrorsAreLocated(t *testing.T) {
	t.Attr("req", "OC-TRACE-9008")
	for _, c := range []struct{ src, want string }{
		{"rules:\n  - level: MUST\n    require: go and cobol\n", `p.yaml:3:14: "cobol" in require "go and cobol"; want an evidence kind: go, gherkin or junit`},
		{"rules:\n  - level: MUST\n    require: go gherkin\n", `p.yaml:3:14: "gherkin" in require "go gherkin"; want "and" or "or"`},
		{"rules:\n  - level: MUST\n    require: go and\n", `p.yaml:3:14: require "go and" ends without a kind`},
		{"rules:\n  - level: MUSTY\n    require: go\n", `p.yaml:2:12: level "MUSTY"; want MUST, SHOULD or MAY`},
		{"rules:\n  - levle: MUST\n    require: go\n", `p.yaml:2:5: unknown key "levle" in a rule; want one of id, area, level, require, why`},
		{"rules:\n  - level: MUST\n", `p.yaml:2:5: a rule without require`},
		{"rules:\n  - require: go\n", `p.yaml:2:5: a rule without id, area or level`},
		{"rules:\n  - id: OC-CORE-1\n    area: OC-CORE\n    require: go\n", `p.yaml:2:5: a rule with id and also area`},
		{"rules:\n  - id: nope\n    require: go\n", `p.yaml:2:9: "nope" is not a requirement ID`},
		{"rules:\n  - level: MUST\n    require: go\n  - level: MUST\n    require: gherkin\n", `p.yaml:4:5: a second rule for the same selector (first at line 2)`},
		{"version: 2\n", `p.yaml:1:10: version "2"; want 1`},
		{"rules: go\n", `p.yaml:1:8: a scalar "go"; want rules (a list)`},
		{"- a\n", `p.yaml:1:1: a list; want a mapping of keys at the top`},
		{"rules:\n  - level: [MUST\n", `p.yaml:1:1: YAML syntax: did not find expected ',' or ']'`},
		{"rules:\n\t- level: MUST\n", `p.yaml:2:1: YAML syntax: found character that cannot start any token`},
		{"rules: []\n---\nrules: []\n", `p.yaml:2:1: a second YAML document`},
	} {
		_, err := policy.Parse("p.yaml", []byte(c.src))
		var ye *yamlx.Error
		if err == nil || !errors.As(err, &ye) || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%q: error %v; want it to start with %q", c.src, err, c.want)
		}
	}
	for _, ok := range []string{"", "# nothing yet\n", "version: 1\n", "rules:\n"} {
		if p, err := policy.Parse("p.yaml", []byte(ok)); err != nil || len(p.Rules) != 0 {
			t.Errorf("%q: %v, %+v; want an empty policy", ok, err, p)
		}
	}
}

func TestPolicyNotesUnknownIDs(t *testing.T) {
	t.Attr("req", "OC-TRACE-9008")
	p, err := policy.Parse("p.yaml", []byte("rules:\n  - id: OC-X-1\n    require: go\n"))
	if err != nil {
		t.Fatal(err)
	}
	rep := model.Build([]model.Requirement{{ID: "OC-Y-1", Level: model.Must}}, nil, nil)
	p.Apply(&rep)
	if len(rep.Notes) != 1 || !strings.Contains(rep.Notes[0], "p.yaml:2: policy rule for OC-X-1, which no spec defines") {
		t.Errorf("notes %q", rep.Notes)
	}
}

func FuzzPolicy(f *testing.F) {
	f.Add([]byte(src))
	f.Add([]byte("rules:\n  - id: A-1\n    require: go or junit\n"))
	f.Add([]byte("rules: [{level: MUST, require: any}]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := policy.Parse("f.yaml", data)
		if err != nil {
			var ye *yamlx.Error
			if !errors.As(err, &ye) || ye.Line < 1 || ye.Col < 1 || ye.Msg == "" {
				t.Fatalf("error without a place: %#v", err)
			}
			return
		}
		for _, r := range p.Rules {
			if r.ID == "" && r.Area == "" && r.Level == "" {
				t.Fatalf("rule without selector accepted: %+v", r)
			}
			for _, alt := range r.Need {
				if len(alt) == 0 {
					t.Fatalf("empty alternative accepted: %+v", r)
				}
			}
		}
	})
}
