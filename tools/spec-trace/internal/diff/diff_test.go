package diff_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"orchcore.dev/tools/spec-trace/internal/diff"
	"orchcore.dev/tools/spec-trace/internal/model"
)

func report(pairs ...string) *model.Report {
	r := &model.Report{Schema: model.Schema}
	for i := 0; i < len(pairs); i += 2 {
		r.Requirements = append(r.Requirements, model.Requirement{ID: pairs[i], Level: model.Must, Status: pairs[i+1]})
	}
	return r
}

func ids(cs []diff.Change) string {
	var out []string
	for _, c := range cs {
		out = append(out, c.ID)
	}
	return strings.Join(out, " ")
}

func TestCompare(t *testing.T) {
	t.Attr("req", "OC-TRACE-9005")
	old := report("A-1", "proven", "A-2", "proven", "A-3", "failing", "A-4", "unproven", "A-5", "partial", "A-6", "proven",
		"A-9", "failing", "A-10", "partial", "A-11", "failing")
	cur := report("A-1", "failing", "A-2", "partial", "A-3", "proven", "A-4", "proven", "A-5", "partial", "A-7", "failing", "A-8", "unproven",
		"A-9", "unproven", "A-10", "unproven", "A-11", "partial")
	d := diff.Compare(old, cur)
	checks := map[string][2]string{
		"newly failing":  {ids(d.NewlyFailing), "A-1 A-7"},
		"newly unproven": {ids(d.NewlyUnproven), "A-2 A-9 A-10"},
		"newly proven":   {ids(d.NewlyProven), "A-3 A-4"},
		"added":          {ids(d.Added), "A-7 A-8"},
		"removed":        {ids(d.Removed), "A-6"},
	}
	for name, c := range checks {
		if c[0] != c[1] {
			t.Errorf("%s = %q, want %q", name, c[0], c[1])
		}
	}
	if !d.Regressed() {
		t.Error("not regressed")
	}
	if diff.Compare(cur, cur).Regressed() {
		t.Error("a report regressed against itself")
	}
	var b bytes.Buffer
	if err := d.Write(&b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Newly failing: 2", "- A-1 MUST (proven → failing)", "Removed: 1", "- A-6 MUST (was proven)", "verdict: regressed"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, b.String())
		}
	}
}

func TestWriteJSON(t *testing.T) {
	t.Attr("req", "OC-TRACE-9005")
	var b bytes.Buffer
	if err := diff.Compare(report("A-1", "proven"), report("A-1", "proven")).WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"newly_failing": []`, `"removed": []`, `"regressed": false`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("JSON lacks %s:\n%s", want, b.String())
		}
	}
}

func TestImprovementIsNoRegression(t *testing.T) {
	t.Attr("req", "OC-TRACE-9005")
	d := diff.Compare(report("A-1", "unproven"), report("A-1", "proven", "A-2", "partial"))
	if d.Regressed() || ids(d.NewlyProven) != "A-1" || ids(d.Added) != "A-2" {
		t.Errorf("diff = %+v", d)
	}
}

func ExampleCompare() {
	old := &model.Report{Requirements: []model.Requirement{{ID: "OC-CORE-1001", Level: "MUST", Status: "proven"}}}
	cur := &model.Report{Requirements: []model.Requirement{{ID: "OC-CORE-1001", Level: "MUST", Status: "failing"}}}
	d := diff.Compare(old, cur)
	fmt.Println(len(d.NewlyFailing), d.Regressed())
	// Output: 1 true
}
