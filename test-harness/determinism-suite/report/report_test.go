package report_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"orchcore.dev/test-harness/determinism-suite/drift"
	"orchcore.dev/test-harness/determinism-suite/report"
	"orchcore.dev/test-harness/determinism-suite/suite"
	"orchcore.dev/test-harness/determinism-suite/transcript"
)

func divergent() report.Report {
	r := report.Report{
		Command: "run", Trials: 2, Replicas: 2, Streams: 4, UniqueOutputs: 3, DivergentTrials: 1,
		Params: transcript.Params{NPredict: 8},
		Corpus: transcript.Corpus{Seeds: 2, Prompts: 1},
		Engines: []transcript.Engine{
			{URL: "http://a", API: "llamacpp", StartedBySuite: true, Applied: map[string]any{"parallel": 1, "cont_batching": false}, Version: "v1"},
			{URL: "http://b", API: "llamacpp", PropsError: "404"},
		},
		Divergences: []suite.Divergence{{
			Seed: 17, PromptID: "story", Prompt: "Once upon a time",
			Baseline: "replica 0", BaselineURL: "http://a", Replica: 1, URL: "http://b",
			Drift: drift.Drift{
				Index: 12, Reason: drift.ReasonToken,
				Context: drift.Span{Tokens: []int{5}, Pieces: []string{" old"}},
				Want:    drift.Span{Tokens: []int{6}, Pieces: []string{" man"}},
				Got:     drift.Span{Tokens: []int{7}, Pieces: []string{" dog"}},
			},
		}},
	}
	r.Outcome(nil, false)
	return r
}

func TestHumanDivergence(t *testing.T) {
	t.Attr("req", "OC-TEST-7004")
	var b bytes.Buffer
	if err := report.Human(&b, divergent()); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"replica 0: http://a (llamacpp) started by suite: cont_batching=false parallel=1; engine_version v1\n",
		"replica 1: http://b (llamacpp) no /props: 404\n",
		"DIVERGENCE seed 17, prompt \"story\" \"Once upon a time\"\n",
		"replica 1 (http://b) differs from replica 0 (http://a) at token 12 (token)\n",
		"context:   \" old\"#5\n",
		"replica 0: \" man\"#6\n",
		"replica 1: \" dog\"#7\n",
		"result: 2 trials, 4 streams, 3 unique outputs, 1 divergent trials: DIVERGENT (exit 1)\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("human report lacks %q:\n%s", want, out)
		}
	}
}

func TestHumanCapsDivergences(t *testing.T) {
	r := divergent()
	for len(r.Divergences) < report.MaxHuman+5 {
		r.Divergences = append(r.Divergences, r.Divergences[0])
	}
	var b bytes.Buffer
	if err := report.Human(&b, r); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(b.String(), "DIVERGENCE"); n != report.MaxHuman {
		t.Fatalf("%d divergences printed, want %d", n, report.MaxHuman)
	}
	if !strings.Contains(b.String(), "... and 5 more divergences") {
		t.Fatalf("no 'more' line:\n%s", b.String())
	}
}

func TestJSONShape(t *testing.T) {
	t.Attr("req", "OC-TEST-7004")
	var b bytes.Buffer
	if err := report.JSON(&b, divergent()); err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got["schema"] != "detsuite-report/1" || got["result"] != "divergent" || got["exit_code"] != float64(1) {
		t.Fatalf("head: %v %v %v", got["schema"], got["result"], got["exit_code"])
	}
	d := got["divergences"].([]any)[0].(map[string]any)
	for k, want := range map[string]any{"seed": float64(17), "prompt_id": "story", "replica": float64(1), "url": "http://b", "first_diff": float64(12), "baseline": "replica 0"} {
		if d[k] != want {
			t.Errorf("divergence[%s] = %v, want %v", k, d[k], want)
		}
	}
	if d["want"].(map[string]any)["pieces"].([]any)[0] != " man" || d["got"].(map[string]any)["tokens"].([]any)[0] != float64(7) {
		t.Errorf("continuations: %v / %v", d["want"], d["got"])
	}

	// An empty report still has lists, never null.
	b.Reset()
	var empty report.Report
	empty.Outcome(nil, false)
	if err := report.JSON(&b, empty); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{`"divergences": []`, `"warnings": []`, `"engines": []`, `"result": "byte-exact"`, `"exit_code": 0`} {
		if !strings.Contains(b.String(), k) {
			t.Errorf("empty report lacks %s:\n%s", k, b.String())
		}
	}
}

func TestOutcome(t *testing.T) {
	cases := []struct {
		divergent   int
		err         error
		interrupted bool
		result      string
		code        int
	}{
		{0, nil, false, "byte-exact", 0},
		{3, nil, false, "divergent", 1},
		{0, errors.New("engine http://x: refused"), false, "error", 2},
		{3, errors.New("x"), false, "error", 2},
		{0, errors.New("interrupted"), true, "interrupted", 130},
	}
	for _, c := range cases {
		r := report.Report{DivergentTrials: c.divergent}
		r.Outcome(c.err, c.interrupted)
		if r.Result != c.result || r.ExitCode != c.code {
			t.Errorf("Outcome(%d, %v, %v) = %s/%d, want %s/%d", c.divergent, c.err, c.interrupted, r.Result, r.ExitCode, c.result, c.code)
		}
	}
}

// A divergence at token 0 shows its (empty) context as the start of the
// stream.
func TestHumanDivergenceAtFirstToken(t *testing.T) {
	t.Attr("req", "OC-TEST-7004")
	r := divergent()
	r.Divergences[0].Drift = drift.Drift{
		Index: 0, Reason: drift.ReasonToken,
		Want: drift.Span{Tokens: []int{6}, Pieces: []string{" man"}},
		Got:  drift.Span{Tokens: []int{7}, Pieces: []string{" dog"}},
	}
	var b bytes.Buffer
	if err := report.Human(&b, r); err != nil {
		t.Fatal(err)
	}
	if out := b.String(); !strings.Contains(out, "context:   (start of stream)\n") || strings.Contains(out, "end of stream") {
		t.Errorf("human report at token 0 should say (start of stream):\n%s", out)
	}
}

// A run stopped by an error or an interrupt says STOPPED, not INCOMPLETE
// (the verdict of a finished run with unknown ids, exit 1), and leaves
// the error to stderr: it is printed once.
func TestStoppedRunWording(t *testing.T) {
	for _, interrupted := range []bool{false, true} {
		r := report.Report{Command: "run", Replicas: 2, PlannedTrials: 640, Trials: 3, Streams: 7}
		r.Outcome(errors.New("POST http://x/completion: boom"), interrupted)
		var b strings.Builder
		if err := report.Human(&b, r); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if !strings.Contains(out, "result: STOPPED after 3 of 640 planned trials, 7 streams") || strings.Contains(out, "INCOMPLETE") || strings.Contains(out, "boom") {
			t.Errorf("interrupted %v:\n%s", interrupted, out)
		}
	}
	r := report.Report{Command: "run", Replicas: 2, Trials: 4, IncompleteTrials: 1}
	r.Outcome(nil, false)
	var b strings.Builder
	report.Human(&b, r)
	if !strings.Contains(b.String(), ": INCOMPLETE (exit 1)") || strings.Contains(b.String(), "STOPPED") {
		t.Errorf("unproven run:\n%s", b.String())
	}
}
