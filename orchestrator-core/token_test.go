package core_test

import (
	"testing"

	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/backoff"
	"orchcore.dev/orchestrator-core/observe"
)

// Each job's first Token event is marked FirstToken, even when the token
// comes in the dispatch's millisecond (FirstTokenMs 0); later tokens are
// not, and a retry's job has a first token of its own.
func TestTokenMarksEachJobsFirst(t *testing.T) {
	t.Attr("req", "OC-CORE-1041")
	p, rec, clk := newPool(t, func(c *core.Config) {
		c.Retry = backoff.Config{BaseMs: 0, CapMs: 0, MaxRetries: 1}
	})
	admit(t, p, mtask("a"))
	snap := snapOf(rep("r1", 500))
	clk.Advance(10)
	if _, ok := p.Next(snap); !ok {
		t.Fatal("not dispatched")
	}
	type tok struct {
		first bool
		ms    int64
	}
	token := func(advance int64) tok {
		t.Helper()
		clk.Advance(advance)
		if err := p.Token("a", 2); err != nil {
			t.Fatal(err)
		}
		ev := lastEvent(rec)
		if ev.Kind != observe.Token || ev.Tokens != 2 {
			t.Fatalf("last event %+v, want a Token of 2", ev)
		}
		return tok{ev.FirstToken, ev.FirstTokenMs}
	}
	for i, c := range []struct {
		advance int64
		want    tok
	}{
		{0, tok{true, 0}}, // same millisecond as the dispatch
		{0, tok{false, 0}},
		{30, tok{false, 0}},
	} {
		if got := token(c.advance); got != c.want {
			t.Errorf("token %d of job 1: (first, ms) = %v, want %v", i+1, got, c.want)
		}
	}
	if err := p.Fail("a", "ENGINE_ERROR"); err != nil {
		t.Fatal(err)
	}
	if d, ok := p.Next(snap); !ok || d.Job.Attempt != 2 {
		t.Fatalf("retry not dispatched: %+v", d)
	}
	if got, want := token(45), (tok{true, 45}); got != want {
		t.Errorf("first token of the retry: (first, ms) = %v, want %v", got, want)
	}
	if got, want := token(5), (tok{false, 0}); got != want {
		t.Errorf("second token of the retry: (first, ms) = %v, want %v", got, want)
	}
}
