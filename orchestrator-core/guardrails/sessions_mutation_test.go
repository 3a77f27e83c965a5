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

// Regression: a refused request reserved nothing, so it must not leave a
// live account behind. Before the fix every refused request of a new
// session added a live account that nothing retired (Len grew by one per
// session, past any bound), and a refused request of an idle session
// moved it out of the idle table for good.
func TestRefusedRequestsLeaveNoLiveAccount(t *testing.T) {
	t.Attr("req", "OC-CORE-1054")
	t.Attr("req", "OC-CORE-1023")
	s := guardrails.NewBoundedSessions(guardrails.Budget{Tokens: 10}, 1)
	for i := range 100 {
		id := string(rune('a'+i%26)) + string(rune('0'+i/26))
		if _, _, err := s.Admit(guardrails.Request{Session: id, PromptTokens: 20}, 0); err == nil {
			t.Fatalf("%s: 20 tokens admitted against a budget of 10", id)
		}
	}
	if n := s.Len(); n != 0 {
		t.Fatalf("after 100 refused new sessions the ledger holds %d accounts, want 0", n)
	}

	// An idle, charged session refused stays idle with its charge ...
	tk, _, err := s.Admit(guardrails.Request{Session: "x", PromptTokens: 8}, 0)
	if err != nil {
		t.Fatal(err)
	}
	s.Settle(tk, 8, 0)
	if _, _, err := s.Admit(guardrails.Request{Session: "x", PromptTokens: 5}, 0); err == nil {
		t.Fatal("5 tokens admitted with 2 left")
	}
	if r := s.Remaining("x", 0); r.Tokens != 2 || s.Len() != 1 {
		t.Fatalf("after the refusal x has %d tokens left and the ledger %d accounts, want 2 and 1", r.Tokens, s.Len())
	}
	// ... and is evicted like any idle account (bound 1).
	tk, _, err = s.Admit(guardrails.Request{Session: "y", PromptTokens: 1}, 0)
	if err != nil {
		t.Fatal(err)
	}
	s.Settle(tk, 1, 0)
	if r := s.Remaining("x", 0); r.Tokens != 10 || s.Len() != 1 {
		t.Fatalf("x: %d tokens left, ledger %d accounts; want 10 (forgotten) and 1", r.Tokens, s.Len())
	}

	// A refusal while a reservation is open keeps the account live: the
	// open ticket still settles.
	open, _, err := s.Admit(guardrails.Request{Session: "z", PromptTokens: 0}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Admit(guardrails.Request{Session: "z", PromptTokens: 11}, 0); err == nil {
		t.Fatal("11 tokens admitted against a budget of 10")
	}
	if _, ok := s.Settle(open, 0, 0); !ok {
		t.Fatal("the open ticket of z was lost by a refusal")
	}
}
