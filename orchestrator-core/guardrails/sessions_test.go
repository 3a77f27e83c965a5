package guardrails_test

import (
	"fmt"
	"testing"

	"orchcore.dev/orchestrator-core/guardrails"
)

// TestIdleSessionsBounded: with an idle bound of 3, the ledger never holds
// more than 3 idle accounts plus the live ones; the least recently
// settled idle session is forgotten and starts fresh (its whole budget
// again); a session with an open reservation is never forgotten.
func TestIdleSessionsBounded(t *testing.T) {
	t.Attr("req", "OC-CORE-1054")
	t.Attr("req", "OC-CORE-1023")
	s := guardrails.NewBoundedSessions(guardrails.Budget{Tokens: 100}, 3)
	open, _, err := s.Admit(guardrails.Request{Session: "keep", PromptTokens: 10}, 0)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 10 {
		id := fmt.Sprint("s", i)
		tk, _, err := s.Admit(guardrails.Request{Session: id, PromptTokens: 60}, int64(i))
		if err != nil {
			t.Fatal(err)
		}
		s.Settle(tk, 60, int64(i))
		if s.Len() > 3+1 {
			t.Fatalf("after %d sessions the ledger holds %d accounts, want at most 3 idle + 1 live", i+1, s.Len())
		}
	}
	// s7, s8, s9 are the three most recently settled: still charged 60.
	for _, id := range []string{"s7", "s8", "s9"} {
		if r := s.Remaining(id, 10); r.Tokens != 40 {
			t.Errorf("%s: %d tokens left, want 40 (kept)", id, r.Tokens)
		}
	}
	// s0 was forgotten: it starts fresh.
	if r := s.Remaining("s0", 10); r.Tokens != 100 {
		t.Errorf("s0: %d tokens left, want 100 (forgotten, fresh)", r.Tokens)
	}
	// The live session kept its reservation throughout.
	if r := s.Remaining("keep", 10); r.Tokens != 90 {
		t.Errorf("keep: %d tokens left, want 90 (live, never evicted)", r.Tokens)
	}
	if _, ok := s.Settle(open, 10, 11); !ok {
		t.Error("the live session's ticket was lost")
	}
}
