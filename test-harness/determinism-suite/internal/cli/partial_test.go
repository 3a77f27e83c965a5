package cli_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"orchcore.dev/test-harness/refengine/server"
)

// A run stopped by an engine error reports what it finished, not what it
// planned: the trials and streams completed, the divergences found in
// them, and that the report is incomplete (human and JSON alike).
func TestErrorReportsWhatFinished(t *testing.T) {
	t.Attr("req", "OC-TEST-7004")
	sd, ps := seeds(t, 8), twoPrompts(t)
	// Fresh engines per run, so both runs see the same fault draws. The
	// second is another build, diverging on every trial, and fails some
	// request after the first few (fixed seed, one request at a time).
	args := func() []string {
		a := engine(t, server.Options{})
		b := engine(t, server.Options{EngineVersion: "other-build", FailRate: 0.2, FailSeed: 1})
		return []string{"run", "--engine", a, "--engine", b, "--seeds", sd, "--prompts", ps, "--concurrency", "1", "--n-predict", "4"}
	}

	r, o := jsonReport(t, args()...)
	if o.code != 2 || r.Result != "error" || !r.Incomplete || r.PlannedTrials != 16 {
		t.Fatalf("exit %d, result %q, incomplete %v, planned %d; want 2, error, true, 16\n%s", o.code, r.Result, r.Incomplete, r.PlannedTrials, o.stdout)
	}
	if r.Trials < 1 || r.Trials >= 16 {
		t.Fatalf("trials = %d; want the completed ones, between 1 and 15 (pick another FailSeed if 0)", r.Trials)
	}
	if r.DivergentTrials != r.Trials || len(r.Divergences) != r.Trials {
		t.Errorf("%d trials completed, %d divergent, %d divergences kept; want all completed trials divergent and kept", r.Trials, r.DivergentTrials, len(r.Divergences))
	}
	if r.Streams < 2*r.Trials || r.Streams > 2*r.Trials+1 {
		t.Errorf("streams = %d for %d completed trials; want the streams received (%d or %d)", r.Streams, r.Trials, 2*r.Trials, 2*r.Trials+1)
	}

	h := detsuite(t, args()...)
	line := regexp.MustCompile(`(?m)^result: .*$`).FindString(h.stdout)
	want := fmt.Sprintf("result: STOPPED after %d of 16 planned trials, %d streams, %d unique outputs, %d divergent trials: ERROR (exit 2)",
		r.Trials, r.Streams, r.UniqueOutputs, r.DivergentTrials)
	if h.code != 2 || line != want {
		t.Fatalf("exit %d, summary %q; want %q", h.code, line, want)
	}
	if !strings.Contains(h.stdout, "DIVERGENCE") {
		t.Errorf("human report dropped the divergences found before the error:\n%s", h.stdout)
	}
}
