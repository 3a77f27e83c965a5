package model_test

import (
	"slices"
	"testing"

	"pgregory.net/rapid"

	"orchcore.dev/tools/spec-trace/internal/model"
)

// refStatus is the reference model: the rule written as plainly as it
// reads in the spec.
func refStatus(statuses []string) string {
	if len(statuses) == 0 {
		return model.Unproven
	}
	if slices.Contains(statuses, model.Failed) {
		return model.Failing
	}
	if slices.Contains(statuses, model.Passed) {
		return model.Proven
	}
	return model.Partial
}

func TestBuildMatchesReference(t *testing.T) {
	t.Attr("req", "OC-TRACE-9002")
	t.Attr("req", "OC-TRACE-9003")
	defined := []string{"A-1", "A-2", "A-10", "B-1"}
	pool := append(slices.Clone(defined), "Z-9", "A-3")
	rapid.Check(t, func(t *rapid.T) {
		var tests []model.Test
		t.Repeat(map[string]func(*rapid.T){
			"add test": func(t *rapid.T) {
				reqs := rapid.SliceOfN(rapid.SampledFrom(pool), 0, 3).Draw(t, "reqs")
				status := rapid.SampledFrom([]string{model.Passed, model.Failed, model.Skipped, model.NotRun}).Draw(t, "status")
				tests = append(tests, model.Test{Name: rapid.StringMatching(`T[a-z]{1,3}`).Draw(t, "name"), Kind: model.KindGo, Status: status, Reqs: reqs})
			},
			"": func(t *rapid.T) {
				var reqs []model.Requirement
				for _, id := range defined {
					reqs = append(reqs, model.Requirement{ID: id, Level: model.Must})
				}
				rep := model.Build(reqs, tests, nil)
				counts := map[string]int{}
				for _, q := range rep.Requirements {
					var statuses []string
					for _, tt := range tests {
						if slices.Contains(tt.Reqs, q.ID) {
							statuses = append(statuses, tt.Status)
						}
					}
					if want := refStatus(statuses); q.Status != want {
						t.Fatalf("%s = %s, want %s from %v", q.ID, q.Status, want, statuses)
					}
					counts[q.Status]++
				}
				c := rep.Summary.All
				if c.Proven != counts[model.Proven] || c.Failing != counts[model.Failing] ||
					c.Partial != counts[model.Partial] || c.Unproven != counts[model.Unproven] || c.Total != len(defined) {
					t.Fatalf("summary %+v, counted %v", c, counts)
				}
				var unknown []string
				for _, tt := range tests {
					for _, id := range tt.Reqs {
						if !slices.Contains(defined, id) && !slices.Contains(unknown, id) {
							unknown = append(unknown, id)
						}
					}
				}
				if len(rep.Unknown) != len(unknown) {
					t.Fatalf("unknown = %v, want %v", rep.Unknown, unknown)
				}
				for _, u := range rep.Unknown {
					if !slices.Contains(unknown, u.ID) {
						t.Fatalf("%s listed as unknown", u.ID)
					}
				}
			},
		})
	})
}
