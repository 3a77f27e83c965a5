package guardrails_test

import (
	"testing"

	"orchcore.dev/orchestrator-core/guardrails"
)

// Len counts live and idle accounts exactly, before any account exists
// (no idle table yet), with one live account, and once it is idle.
// Killed mutant: the idle accounts left out of Len (docs/mutation.md).
func TestLenCountsLiveAndIdle(t *testing.T) {
	t.Attr("req", "OC-CORE-1054")
	s := guardrails.NewSessions(guardrails.Budget{Tokens: 100})
	if n := s.Len(); n != 0 {
		t.Fatalf("empty ledger: Len %d, want 0", n)
	}
	tk, _, err := s.Admit(guardrails.Request{Session: "a", PromptTokens: 5}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if n := s.Len(); n != 1 {
		t.Fatalf("one live account: Len %d, want 1", n)
	}
	if _, ok := s.Settle(tk, 5, 1); !ok {
		t.Fatal("Settle of an open ticket returned false")
	}
	if n := s.Len(); n != 1 {
		t.Fatalf("one idle account: Len %d, want 1", n)
	}
	s.Forget("a")
	if n := s.Len(); n != 0 {
		t.Fatalf("after Forget: Len %d, want 0", n)
	}
}
