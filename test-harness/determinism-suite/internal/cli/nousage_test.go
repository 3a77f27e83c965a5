package cli_test

import (
	"strings"
	"testing"

	"orchcore.dev/test-harness/determinism-suite/internal/fakellama"
	"orchcore.dev/test-harness/determinism-suite/report"
)

// Through the OpenAI API an engine that sends no usage gives no token
// count: nothing shows whether tokens went without a chunk, so no trial
// is byte-exact, with or without tokens held back.
func TestNoUsageNeverByteExact(t *testing.T) {
	t.Attr("req", "OC-TEST-7001")
	for _, bytes := range []bool{true, false} {
		o := fakellama.Options{NoUsage: true, Bytes: bytes}
		a, b := fake(t, o), fake(t, o)
		r, out := jsonReport(t, "run", "--api", "openai", "--engine", a, "--engine", b, "--seeds", seeds(t, 8), "--prompts", twoPrompts(t), "--n-predict", "4")
		if out.code != 1 || r.Result != report.Unproven || r.IncompleteTrials != 16 || r.DivergentTrials != 0 {
			t.Fatalf("bytes %v: exit %d result %s, %d incomplete, %d divergent, error %q", bytes, out.code, r.Result, r.IncompleteTrials, r.DivergentTrials, r.Error)
		}
		if u := r.Unproven[0]; !strings.Contains(u.Why, "did not say how many tokens") || u.Of != "both" {
			t.Errorf("bytes %v: unproven %+v", bytes, u)
		}
	}
	// The same engines with usage are byte-exact without byte tokens.
	a, b := fake(t, fakellama.Options{}), fake(t, fakellama.Options{})
	if r, o := jsonReport(t, "run", "--api", "openai", "--engine", a, "--engine", b, "--seeds", seeds(t, 8), "--prompts", twoPrompts(t), "--n-predict", "4"); o.code != 0 || r.Result != report.ByteExact {
		t.Errorf("with usage: exit %d result %s", o.code, r.Result)
	}
}
