package model_test

import (
	"testing"

	"orchcore.dev/tools/spec-trace/internal/model"
)

func TestStaleSince(t *testing.T) {
	t.Attr("req", "OC-TRACE-9007")
	test := func(name, hash, status string) model.Test {
		return model.Test{Name: name, Kind: model.KindGo, Package: "p", Hash: hash, Status: status}
	}
	base := model.Requirement{ID: "A-1", Hash: "r1", Status: model.Proven,
		Tests: []model.Test{test("TestA", "s1", model.Passed), test("TestB", "s2", model.Passed)}}
	cases := []struct {
		name  string
		hash  string
		stat  string
		tests []model.Test
		want  bool
	}{
		{"rule changed, tests kept", "r2", model.Proven, base.Tests, true},
		{"flaky, rule changed, tests kept", "r2", model.Flaky, []model.Test{test("TestA", "s1", model.FlakyRun)}, true},
		{"rule kept", "r1", model.Proven, base.Tests, false},
		{"a proving test edited", "r2", model.Proven, []model.Test{test("TestA", "s1", model.Passed), test("TestB", "s9", model.Passed)}, false},
		{"a proving test added", "r2", model.Proven, append([]model.Test{test("TestC", "s3", model.Passed)}, base.Tests...), false},
		{"a test without hash", "r2", model.Proven, []model.Test{test("TestA", "", model.Passed)}, false},
		{"failing now", "r2", model.Failing, []model.Test{test("TestA", "s1", model.Failed)}, false},
		{"only a skipped test edited", "r2", model.Proven, []model.Test{test("TestA", "s1", model.Passed), test("TestB", "s9", model.Skipped)}, true},
	}
	for _, c := range cases {
		q := model.Requirement{ID: "A-1", Hash: c.hash, Status: c.stat, Tests: c.tests}
		if got := model.StaleSince(&q, &base); got != c.want {
			t.Errorf("%s: stale %v, want %v", c.name, got, c.want)
		}
	}
	q := model.Requirement{ID: "A-1", Hash: "r2", Status: model.Proven, Tests: base.Tests}
	if model.StaleSince(&q, nil) {
		t.Error("a requirement the base did not have is stale")
	}
	head := &model.Report{Requirements: []model.Requirement{q}}
	head.Recount(2)
	got := model.WithStale(head, &model.Report{Requirements: []model.Requirement{base}})
	if got == head || got.Requirements[0].Status != model.Stale || got.Requirements[0].Was != model.Proven || got.Summary.All.Stale != 1 {
		t.Errorf("WithStale: %+v", got.Requirements[0])
	}
	if head.Requirements[0].Status != model.Proven || head.Summary.All.Stale != 0 {
		t.Error("WithStale changed its input")
	}
}
