package model_test

import (
	"testing"

	"orchcore.dev/tools/spec-trace/internal/model"
)

func TestStatus(t *testing.T) {
	t.Attr("req", "OC-TRACE-9002")
	ts := func(s ...string) []model.Test {
		var out []model.Test
		for _, x := range s {
			out = append(out, model.Test{Status: x})
		}
		return out
	}
	cases := []struct {
		tests []model.Test
		want  string
	}{
		{nil, model.Unproven},
		{ts(model.Passed), model.Proven},
		{ts(model.Passed, model.Skipped, model.NotRun), model.Proven},
		{ts(model.Passed, model.Failed), model.Failing},
		{ts(model.Skipped, model.Failed), model.Failing},
		{ts(model.Skipped), model.Partial},
		{ts(model.NotRun), model.Partial},
		{ts(model.NotRun, model.Skipped), model.Partial},
	}
	for _, c := range cases {
		if got := model.Status(c.tests); got != c.want {
			t.Errorf("Status(%v) = %s, want %s", c.tests, got, c.want)
		}
	}
}

func TestMerge(t *testing.T) {
	t.Attr("req", "OC-TRACE-9002")
	order := []string{model.NotRun, model.Skipped, model.Passed, model.Failed}
	for i, a := range order {
		for j, b := range order {
			want := order[max(i, j)]
			if got := model.Merge(a, b); got != want {
				t.Errorf("Merge(%s, %s) = %s, want %s", a, b, got, want)
			}
		}
	}
}

func TestBuild(t *testing.T) {
	t.Attr("req", "OC-TRACE-9002")
	t.Attr("req", "OC-TRACE-9003")
	reqs := []model.Requirement{
		{ID: "B-2", Level: model.Should}, {ID: "A-10", Level: model.Must}, {ID: "A-9", Level: model.May},
	}
	tests := []model.Test{
		{Name: "T2", Kind: model.KindGo, Status: model.Passed, Reqs: []string{"A-10", "Z-1", "A-10"}},
		{Name: "T1", Kind: model.KindGo, Status: model.Failed, Reqs: []string{"A-10"}},
		{Name: "T3", Kind: model.KindGo, Status: model.Passed},
	}
	rep := model.Build(reqs, tests, nil)
	var order []string
	for _, q := range rep.Requirements {
		order = append(order, q.ID+"="+q.Status)
	}
	if got := order; len(got) != 3 || got[0] != "A-9=unproven" || got[1] != "A-10=failing" || got[2] != "B-2=unproven" {
		t.Errorf("requirements = %v", got)
	}
	if ts := rep.Requirements[1].Tests; len(ts) != 2 || ts[0].Name != "T1" {
		t.Errorf("A-10 tests = %+v, want T1 then T2, each once", ts)
	}
	if len(rep.Unknown) != 1 || rep.Unknown[0].ID != "Z-1" || rep.Unknown[0].Tests[0].Name != "T2" {
		t.Errorf("unknown = %+v", rep.Unknown)
	}
	if rep.Summary.Tests != 2 || rep.Summary.All.Failing != 1 || rep.Summary.ByLevel[model.Must].Failing != 1 ||
		rep.Summary.All.Unproven != 2 {
		t.Errorf("summary = %+v", rep.Summary)
	}
}
