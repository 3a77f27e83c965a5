package diff_test

import (
	"testing"

	"orchcore.dev/tools/spec-trace/internal/diff"
	"orchcore.dev/tools/spec-trace/internal/model"
)

// Deleting a requirement must not be a quiet way to make the gate pass: a
// removed MUST, or any removed requirement that was proven, is a
// regression; a removed SHOULD or MAY that nothing proved is not.
func TestRemovedRequirementRegresses(t *testing.T) {
	t.Attr("req", "OC-TRACE-9005")
	with := func(level, status string) *model.Report {
		r := report("A-1", "proven")
		r.Requirements = append(r.Requirements, model.Requirement{ID: "A-2", Level: level, Status: status})
		return r
	}
	cases := []struct {
		level, status string
		want          bool
	}{
		{model.Must, model.Proven, true},
		{model.Must, model.Unproven, true},
		{model.Should, model.Proven, true},
		{model.May, model.Proven, true},
		{model.Should, model.Unproven, false},
		{model.May, model.Partial, false},
	}
	for _, c := range cases {
		d := diff.Compare(with(c.level, c.status), report("A-1", "proven"))
		if ids(d.Removed) != "A-2" || d.Regressed() != c.want {
			t.Errorf("removed %s %s: removed %q regressed %v, want A-2 and %v", c.level, c.status, ids(d.Removed), d.Regressed(), c.want)
		}
	}
}
