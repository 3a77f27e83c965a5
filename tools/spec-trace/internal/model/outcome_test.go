package model_test

import (
	"slices"
	"testing"

	"pgregory.net/rapid"

	"orchcore.dev/tools/spec-trace/internal/model"
)

func TestOutcome(t *testing.T) {
	t.Attr("req", "OC-TRACE-9009")
	P, F, S, N := model.Passed, model.Failed, model.Skipped, model.NotRun
	for _, c := range []struct {
		in   []string
		want string
	}{
		{nil, N},
		{[]string{P}, P},
		{[]string{F}, F},
		{[]string{F, P}, model.FlakyRun},
		{[]string{P, F}, F}, // a pass then a failure is a failure
		{[]string{F, P, F}, F},
		{[]string{P, F, P}, model.FlakyRun},
		{[]string{F, S}, F},
		{[]string{F, S, P}, model.FlakyRun},
		{[]string{S, P}, P},
		{[]string{model.FlakyRun, F}, F},
		{[]string{P, model.FlakyRun}, model.FlakyRun},
	} {
		if got := model.Outcome(c.in); got != c.want {
			t.Errorf("Outcome(%v) = %s, want %s", c.in, got, c.want)
		}
	}
	tests := []model.Test{{Status: model.Passed}, {Status: model.FlakyRun}}
	if got := model.Status(tests); got != model.Flaky {
		t.Errorf("a requirement with a flaky proving test is %s, want flaky", got)
	}
	if got := model.Status(append(tests, model.Test{Status: model.Failed})); got != model.Failing {
		t.Errorf("a failed test among flaky ones gives %s, want failing", got)
	}
}

// Against a reference: flaky exactly when some pass comes after the last
// failure; failed when there is a failure and no pass after it.
func TestOutcomeProperty(t *testing.T) {
	t.Attr("req", "OC-TRACE-9009")
	rapid.Check(t, func(t *rapid.T) {
		in := rapid.SliceOf(rapid.SampledFrom([]string{model.Passed, model.Failed, model.Skipped})).Draw(t, "attempts")
		last := -1
		for i, a := range in {
			if a == model.Failed {
				last = i
			}
		}
		want := model.NotRun
		switch {
		case last >= 0 && slices.Contains(in[last+1:], model.Passed):
			want = model.FlakyRun
		case last >= 0:
			want = model.Failed
		case slices.Contains(in, model.Passed):
			want = model.Passed
		case len(in) > 0:
			want = model.Skipped
		}
		if got := model.Outcome(in); got != want {
			t.Fatalf("Outcome(%v) = %s, want %s", in, got, want)
		}
	})
}
