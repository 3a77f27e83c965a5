package suite_test

import (
	"context"
	"errors"
	"testing"

	"orchcore.dev/test-harness/determinism-suite/suite"
	"orchcore.dev/test-harness/determinism-suite/transcript"
)

// failOn answers like its fake until asked for seed, then fails.
type failOn struct {
	fake
	seed uint64
}

func (f *failOn) Complete(ctx context.Context, r suite.Request) (transcript.Stream, error) {
	if r.Seed == f.seed {
		return transcript.Stream{}, errors.New("boom")
	}
	return f.fake.Complete(ctx, r)
}

// A run stopped by an error still returns what it finished: the trials
// and streams completed and the divergences found in them.
func TestErrorKeepsWhatFinished(t *testing.T) {
	t.Attr("req", "OC-TEST-7004")
	c := cfg(&fake{}, &failOn{fake: fake{at: 3, skewSeed: func(s uint64) bool { return s == 2 }}, seed: 4})
	c.Concurrency = 1 // one worker: cases a/1, a/2, a/3 finish, a/4 fails on replica 1
	res, err := suite.Run(context.Background(), c)
	var ee *suite.EngineError
	if !errors.As(err, &ee) || ee.URL != "http://r1" {
		t.Fatalf("err = %v, want the engine error of http://r1", err)
	}
	if len(res.Trials) != 3 || res.Streams != 7 || res.DivergentTrials != 1 || res.UniqueOutputs != 4 {
		t.Fatalf("got %d trials, %d streams, %d divergent, %d unique; want 3, 7, 1, 4",
			len(res.Trials), res.Streams, res.DivergentTrials, res.UniqueOutputs)
	}
	if len(res.Divergences) != 1 || res.Divergences[0].Seed != 2 || res.Divergences[0].Index != 3 {
		t.Fatalf("divergences = %+v; want the one at seed 2, token 3", res.Divergences)
	}
	for i, seed := range []uint64{1, 2, 3} {
		if res.Trials[i].Seed != seed || res.Trials[i].PromptID != "a" {
			t.Fatalf("trial %d = %s/%d, want a/%d", i, res.Trials[i].PromptID, res.Trials[i].Seed, seed)
		}
	}
}
