package guardrails_test

import (
	"testing"

	"orchcore.dev/orchestrator-core/guardrails"
)

// TestZeroSessionsUsable: the zero Sessions is a ledger with no budget
// configured: it admits, issues tickets and settles them.
func TestZeroSessionsUsable(t *testing.T) {
	var s guardrails.Sessions
	tk, rem, err := s.Admit(guardrails.Request{Session: "a", PromptTokens: 10, MaxNewTokens: 5}, 0)
	if err != nil {
		t.Fatalf("Admit on a zero Sessions: %v", err)
	}
	if tk.ID == 0 || tk.Tokens != 15 {
		t.Fatalf("ticket %+v, want a non-zero id and 15 tokens", tk)
	}
	if rem.Tokens != guardrails.Unlimited {
		t.Fatalf("remaining tokens %d, want Unlimited", rem.Tokens)
	}
	if _, ok := s.Settle(tk, 3, 10); !ok {
		t.Fatal("Settle of an open ticket returned false")
	}
	if _, ok := s.Settle(tk, 3, 10); ok {
		t.Fatal("second Settle of the same ticket returned true")
	}
	s.Forget("a")
}
