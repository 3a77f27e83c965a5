package core_test

import (
	"errors"
	"math"
	"testing"

	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/guardrails"
	"orchcore.dev/orchestrator-core/observe"
)

// TestTokenSaturates: two reports of 2^62 tokens used to wrap the job's
// count negative, so the completed event carried a negative count and the
// session was charged nothing. The count saturates at MaxInt64 and the
// session is charged as if its budget were spent.
func TestTokenSaturates(t *testing.T) {
	t.Attr("req", "OC-CORE-1023")
	p, rec, _ := newPool(t, func(c *core.Config) { c.Budget = &guardrails.Budget{Tokens: 1000} })
	admit(t, p, mtask("a"))
	if _, ok := p.Next(snapOf(rep("r1", 500))); !ok {
		t.Fatal("not dispatched")
	}
	for range 2 {
		if err := p.Token("a", 1<<62); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.Complete("a"); err != nil {
		t.Fatal(err)
	}
	ev := lastEvent(rec)
	if ev.Kind != observe.Completed || ev.Tokens != math.MaxInt64 {
		t.Fatalf("completed event %v with %d tokens, want %d", ev.Kind, ev.Tokens, int64(math.MaxInt64))
	}
	// The session's 1000 tokens are spent: a 1-token request is refused.
	_, err := p.Admit(core.Task{ID: "b", Class: "batch", SessionID: "s-a", PromptTokens: 1})
	if core.CodeOf(err) != core.BudgetExceeded {
		t.Fatalf("after a saturated job the session admits again: %v", err)
	}
	var e *core.Error
	if !errors.As(err, &e) || e.Remaining == nil || e.Remaining.Tokens != 0 {
		t.Fatalf("remaining after a saturated job: %+v", err)
	}
}

// TestTimeOutReason: only WALL and IDLE end a job TIMED_OUT; any other
// reason is INVALID_PARAMS and the job keeps running.
func TestTimeOutReason(t *testing.T) {
	t.Attr("req", "OC-CORE-1022")
	p, rec, _ := newPool(t, nil)
	snap := snapOf(rep("r1", 500))
	for _, id := range []string{"a", "b", "c"} {
		admit(t, p, mtask(id))
		if _, ok := p.Next(snap); !ok {
			t.Fatal("not dispatched")
		}
	}
	for _, bad := range []string{"", "wall", "idle", "WALL ", "TIMEOUT"} {
		if err := p.TimeOut("a", bad); core.CodeOf(err) != core.InvalidParams {
			t.Errorf("TimeOut(a, %q) = %v, want INVALID_PARAMS", bad, err)
		}
		state(t, p, "a", core.Dispatched)
	}
	for id, reason := range map[string]string{"b": "WALL", "c": "IDLE"} {
		if err := p.TimeOut(id, reason); err != nil {
			t.Fatalf("TimeOut(%s, %s): %v", id, reason, err)
		}
		state(t, p, id, core.TimedOut)
		if ev := lastEvent(rec); ev.Kind != observe.TimedOut || ev.Reason != reason {
			t.Fatalf("event %v %q, want TIMED_OUT %s", ev.Kind, ev.Reason, reason)
		}
	}
	if err := p.TimeOut("ghost", "WALL"); core.CodeOf(err) != core.NotFound {
		t.Errorf("TimeOut(ghost) = %v, want NOT_FOUND", err)
	}
}
