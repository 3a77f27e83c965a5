package cli_test

import (
	"path/filepath"
	"strings"
	"testing"

	"orchcore.dev/test-harness/determinism-suite/internal/fakellama"
	"orchcore.dev/test-harness/determinism-suite/report"
)

// A recording made through one API and replayed through the other against
// the same engine: the OpenAI side never sees the held-back tail (nor any
// id), so the pair is INCOMPLETE, never DIVERGENT; an engine that really
// generates other tokens is still caught.
func TestCrossAPIReplayWithHeldBackTail(t *testing.T) {
	t.Attr("req", "OC-TEST-7001")
	t.Attr("req", "OC-TEST-7004")
	for _, dir := range [][2]string{{"llamacpp", "openai"}, {"openai", "llamacpp"}} {
		a, b := fake(t, fakellama.Options{Bytes: true}), fake(t, fakellama.Options{Bytes: true})
		rec := filepath.Join(t.TempDir(), "rec")
		o := detsuite(t, "run", "--api", dir[0], "--engine", a, "--engine", b, "--record", rec,
			"--seeds", seeds(t, 16), "--prompts", twoPrompts(t))
		if o.code > 1 || strings.Contains(o.stdout, "DIVERGENCE") {
			t.Fatalf("record %s: exit %d\n%s%s", dir[0], o.code, o.stdout, o.stderr)
		}
		r, o := jsonReport(t, "replay", "--transcripts", rec, "--api", dir[1], "--engine", a)
		if o.code != 1 || r.DivergentTrials != 0 || r.Result != report.Unproven || r.IncompleteTrials == 0 {
			t.Fatalf("%s recording replayed through %s: exit %d, %d divergent, %d incomplete, result %s, error %q, first %+v",
				dir[0], dir[1], o.code, r.DivergentTrials, r.IncompleteTrials, r.Result, r.Error, first(r))
		}
		// The same API agrees outright (ids resolved) or is incomplete
		// the same way; it never diverges.
		if r, o := jsonReport(t, "replay", "--transcripts", rec, "--api", dir[0], "--engine", b); o.code > 1 || r.DivergentTrials != 0 {
			t.Errorf("%s replay through %s: exit %d, %d divergent", dir[0], dir[0], o.code, r.DivergentTrials)
		}
		// A replica that generates other tokens diverges across APIs too.
		c := fake(t, fakellama.Options{Bytes: true, Nondeterministic: true})
		if r, o := jsonReport(t, "replay", "--transcripts", rec, "--api", dir[1], "--engine", c); o.code != 1 || r.DivergentTrials == 0 {
			t.Errorf("%s recording, nondeterministic engine through %s: exit %d, %d divergent", dir[0], dir[1], o.code, r.DivergentTrials)
		}
	}
}

func first(r report.Report) any {
	if len(r.Divergences) > 0 {
		return r.Divergences[0]
	}
	return nil
}
