package suite_test

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"

	"orchcore.dev/test-harness/determinism-suite/corpus"
	"orchcore.dev/test-harness/determinism-suite/suite"
	"orchcore.dev/test-harness/determinism-suite/transcript"
)

// fake derives a stream from (prompt, seed); skew changes token `at` for
// seeds where skewSeed(seed) holds.
type fake struct {
	at       int
	skewSeed func(uint64) bool
	fail     error
	calls    atomic.Int64
}

func (f *fake) Complete(ctx context.Context, r suite.Request) (transcript.Stream, error) {
	f.calls.Add(1)
	if f.fail != nil {
		return transcript.Stream{}, f.fail
	}
	if err := ctx.Err(); err != nil {
		return transcript.Stream{}, err
	}
	var s transcript.Stream
	for i := range r.Params.NPredict {
		id := int(r.Seed)*100 + len(r.Prompt) + i
		if f.skewSeed != nil && f.skewSeed(r.Seed) && i == f.at {
			id = -id
		}
		p := fmt.Sprintf(" t%d", id)
		s.Tokens = append(s.Tokens, id)
		s.Pieces = append(s.Pieces, p)
		s.Content += p
	}
	s.StopType = "limit"
	return s, nil
}

var prompts = []corpus.Prompt{{ID: "a", Text: "Hello"}, {ID: "b", Text: "Hi"}}

func cfg(replicas ...suite.Replica) suite.Config {
	var ts []suite.Target
	for i, r := range replicas {
		ts = append(ts, suite.Target{URL: fmt.Sprintf("http://r%d", i), Replica: r})
	}
	return suite.Config{
		Targets:     ts,
		Cases:       suite.Cross(prompts, []uint64{1, 2, 3, 4}),
		Params:      transcript.Params{NPredict: 8},
		Concurrency: 3,
	}
}

func TestByteExactReplicas(t *testing.T) {
	t.Attr("req", "OC-TEST-7001")
	var last suite.Progress
	c := cfg(&fake{}, &fake{})
	c.Progress = func(p suite.Progress) { last = p }
	res, err := suite.Run(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Trials) != 8 || res.DivergentTrials != 0 || len(res.Divergences) != 0 || res.UniqueOutputs != 8 {
		t.Fatalf("result: %d trials, %d divergent, %d unique", len(res.Trials), res.DivergentTrials, res.UniqueOutputs)
	}
	if last != (suite.Progress{Done: 8, Total: 8}) {
		t.Fatalf("last progress %+v", last)
	}
	// Trials come back in case order with one stream per replica.
	for i, tr := range res.Trials {
		if tr.PromptID != prompts[i/4].ID || tr.Seed != uint64(i%4+1) || len(tr.Streams) != 2 {
			t.Fatalf("trial %d = %s/%d with %d streams", i, tr.PromptID, tr.Seed, len(tr.Streams))
		}
	}
}

func TestDivergenceNamesSeedPromptReplicaAndIndex(t *testing.T) {
	t.Attr("req", "OC-TEST-7004")
	t.Attr("req", "OC-TEST-7005")
	skew := &fake{at: 5, skewSeed: func(s uint64) bool { return s == 3 }}
	res, err := suite.Run(context.Background(), cfg(&fake{}, &fake{}, skew))
	if err != nil {
		t.Fatal(err)
	}
	if res.DivergentTrials != 2 || len(res.Divergences) != 2 || res.UniqueOutputs != 10 {
		t.Fatalf("divergent %d, divergences %d, unique %d", res.DivergentTrials, len(res.Divergences), res.UniqueOutputs)
	}
	d := res.Divergences[0]
	if d.Seed != 3 || d.PromptID != "a" || d.Prompt != "Hello" || d.Replica != 2 || d.URL != "http://r2" ||
		d.Baseline != "replica 0" || d.BaselineURL != "http://r0" || d.Index != 5 {
		t.Fatalf("divergence = %+v", d)
	}
	if d.Want.Tokens[0] != 305+5 || d.Got.Tokens[0] != -(305+5) || len(d.Context.Tokens) != 4 {
		t.Fatalf("continuations want=%v got=%v context=%v", d.Want.Tokens, d.Got.Tokens, d.Context.Tokens)
	}
	if res.Divergences[1].PromptID != "b" {
		t.Fatalf("second divergence %+v", res.Divergences[1])
	}
}

func TestReplayComparesWithRecording(t *testing.T) {
	t.Attr("req", "OC-TEST-7004")
	rec, err := suite.Run(context.Background(), cfg(&fake{}))
	if err != nil {
		t.Fatal(err)
	}
	replay := func(r suite.Replica) suite.Result {
		c := cfg(r, r)
		c.Cases = nil
		for _, tr := range rec.Trials {
			c.Cases = append(c.Cases, suite.Case{PromptID: tr.PromptID, Prompt: tr.Prompt, Seed: tr.Seed, Want: &tr.Streams[0]})
		}
		res, err := suite.Run(context.Background(), c)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	if res := replay(&fake{}); res.DivergentTrials != 0 {
		t.Fatalf("same engine replayed with %d divergent trials", res.DivergentTrials)
	}
	res := replay(&fake{at: 0, skewSeed: func(uint64) bool { return true }})
	if res.DivergentTrials != 8 || len(res.Divergences) != 16 {
		t.Fatalf("changed engine: %d divergent trials, %d divergences", res.DivergentTrials, len(res.Divergences))
	}
	if d := res.Divergences[0]; d.Baseline != "transcript" || d.Replica != 0 || d.Index != 0 {
		t.Fatalf("divergence %+v", d)
	}
}

func TestEngineErrorStopsRun(t *testing.T) {
	bad := &fake{fail: errors.New("connection refused")}
	_, err := suite.Run(context.Background(), cfg(&fake{}, bad))
	var ee *suite.EngineError
	if !errors.As(err, &ee) || ee.URL != "http://r1" || ee.Error() != "engine http://r1: connection refused" {
		t.Fatalf("err = %v", err)
	}
	if n := bad.calls.Load(); n > 4 {
		t.Fatalf("failing engine was called %d times; the run should stop early", n)
	}
}

func TestCanceledContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := suite.Run(ctx, cfg(&fake{}, &fake{}))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}
