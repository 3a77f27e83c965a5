package guardrails_test

import (
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"

	"orchcore.dev/orchestrator-core/guardrails"
)

func TestCheck(t *testing.T) {
	limits := guardrails.Limits{CtxMax: 4096, MaxRequestTokens: 3000}
	cases := []struct {
		name           string
		req            string
		limits         guardrails.Limits
		prompt, newTok int64
		code, budget   string
		limit, asked   int64
	}{
		{"fits", "OC-CORE-1020", limits, 1000, 2000, "", "", 0, 0},
		{"ctx exceeded", "OC-CORE-1020", limits, 4000, 97, "CTX_EXCEEDED", "ctx_max", 4096, 4097},
		{"ctx exactly full", "OC-CORE-1020", guardrails.Limits{CtxMax: 4096}, 4000, 96, "", "", 0, 0},
		{"ctx checked before token budget", "OC-CORE-1020", limits, 5000, 0, "CTX_EXCEEDED", "ctx_max", 4096, 5000},
		{"unknown ctx is not guessed", "OC-CORE-1020", guardrails.Limits{}, 1 << 40, 1, "", "", 0, 0},
		{"token budget exceeded", "OC-CORE-1021", limits, 1000, 2001, "TOKEN_BUDGET_EXCEEDED", "max_request_tokens", 3000, 3001},
		{"token budget exactly", "OC-CORE-1021", limits, 1000, 2000, "", "", 0, 0},
		{"overflowing sum saturates", "OC-CORE-1020", limits, math.MaxInt64, math.MaxInt64, "CTX_EXCEEDED", "ctx_max", 4096, math.MaxInt64},
		{"negative tokens", "OC-CORE-1021", limits, -1, 5, "INVALID_PARAMS", "request_tokens", 0, -1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Attr("req", c.req)
			err := guardrails.Check(c.limits, guardrails.Request{PromptTokens: c.prompt, MaxNewTokens: c.newTok})
			if c.code == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var r *guardrails.Refusal
			if !errors.As(err, &r) {
				t.Fatalf("err = %v, want %s", err, c.code)
			}
			want := guardrails.Refusal{Code: c.code, Budget: c.budget, Limit: c.limit, Requested: c.asked}
			if diff := cmp.Diff(want, *r); diff != "" {
				t.Fatalf("refusal (-want +got):\n%s", diff)
			}
			if !errors.Is(err, &guardrails.Refusal{Code: c.code}) {
				t.Fatal("errors.Is does not match the code")
			}
		})
	}
}

func TestSessionBudgets(t *testing.T) {
	type admit struct {
		at             int64
		prompt, newTok int64
		code, budget   string
		limit, asked   int64
		rem            guardrails.Remaining
	}
	cases := []struct {
		name   string
		req    string
		budget guardrails.Budget
		steps  []admit
	}{
		{"tokens", "OC-CORE-1023", guardrails.Budget{Tokens: 1000}, []admit{
			{at: 0, prompt: 400, newTok: 200, rem: guardrails.Remaining{Tokens: 400, WallMs: -1, CostMicros: -1}},
			{at: 1, prompt: 300, newTok: 101, code: "BUDGET_EXCEEDED", budget: "tokens", limit: 1000, asked: 401,
				rem: guardrails.Remaining{Tokens: 400, WallMs: -1, CostMicros: -1}},
			{at: 2, prompt: 300, newTok: 100, rem: guardrails.Remaining{Tokens: 0, WallMs: -1, CostMicros: -1}},
		}},
		{"cost", "OC-CORE-1023", guardrails.Budget{CostMicros: 5000, CostPerTokenMicros: 10}, []admit{
			{at: 0, prompt: 300, newTok: 100, rem: guardrails.Remaining{Tokens: -1, WallMs: -1, CostMicros: 1000}},
			{at: 0, prompt: 50, newTok: 51, code: "BUDGET_EXCEEDED", budget: "cost_micros", limit: 5000, asked: 1010,
				rem: guardrails.Remaining{Tokens: -1, WallMs: -1, CostMicros: 1000}},
		}},
		{"wall time counts open requests", "OC-CORE-1023", guardrails.Budget{WallMs: 100}, []admit{
			{at: 0, prompt: 1, rem: guardrails.Remaining{Tokens: -1, WallMs: 100, CostMicros: -1}},
			{at: 60, prompt: 1, rem: guardrails.Remaining{Tokens: -1, WallMs: 40, CostMicros: -1}},
			// two open requests: 80 + 20 ms used
			{at: 80, prompt: 1, code: "BUDGET_EXCEEDED", budget: "wall_ms", limit: 100, asked: 100,
				rem: guardrails.Remaining{Tokens: -1, WallMs: 0, CostMicros: -1}},
		}},
		{"first failing budget in order", "OC-CORE-1023", guardrails.Budget{Tokens: 10, CostMicros: 1, CostPerTokenMicros: 1}, []admit{
			{at: 0, prompt: 11, code: "BUDGET_EXCEEDED", budget: "tokens", limit: 10, asked: 11,
				rem: guardrails.Remaining{Tokens: 10, WallMs: -1, CostMicros: 1}},
		}},
		{"remaining on every decision", "OC-CORE-1024", guardrails.Budget{Tokens: 100, WallMs: 50, CostMicros: 300, CostPerTokenMicros: 2}, []admit{
			{at: 10, prompt: 20, newTok: 30, rem: guardrails.Remaining{Tokens: 50, WallMs: 50, CostMicros: 200}},
			{at: 30, prompt: 60, code: "BUDGET_EXCEEDED", budget: "tokens", limit: 100, asked: 60,
				rem: guardrails.Remaining{Tokens: 50, WallMs: 30, CostMicros: 200}},
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Attr("req", c.req)
			g := guardrails.Guard{Sessions: guardrails.NewSessions(c.budget)}
			for i, s := range c.steps {
				a, err := g.Admit(guardrails.Request{Session: "s", PromptTokens: s.prompt, MaxNewTokens: s.newTok}, s.at)
				if diff := cmp.Diff(s.rem, a.Remaining); diff != "" {
					t.Fatalf("step %d remaining (-want +got):\n%s", i, diff)
				}
				if s.code == "" {
					if err != nil || a.Ticket.ID == 0 {
						t.Fatalf("step %d: err %v, ticket %+v", i, err, a.Ticket)
					}
					continue
				}
				want := &guardrails.Refusal{Code: s.code, Budget: s.budget, Limit: s.limit, Requested: s.asked, Remaining: s.rem}
				var r *guardrails.Refusal
				if !errors.As(err, &r) {
					t.Fatalf("step %d: err %v", i, err)
				}
				if diff := cmp.Diff(want, r); diff != "" {
					t.Fatalf("step %d refusal (-want +got):\n%s", i, diff)
				}
			}
		})
	}
}

func TestSettleRefunds(t *testing.T) {
	t.Attr("req", "OC-CORE-1023")
	s := guardrails.NewSessions(guardrails.Budget{Tokens: 1000, WallMs: 500, CostMicros: 10000, CostPerTokenMicros: 10})
	t1, rem, err := s.Admit(guardrails.Request{Session: "a", PromptTokens: 100, MaxNewTokens: 400}, 0)
	if err != nil || rem != (guardrails.Remaining{Tokens: 500, WallMs: 500, CostMicros: 5000}) {
		t.Fatalf("admit: %v %+v", err, rem)
	}
	rem, ok := s.Settle(t1, 150, 120)
	if !ok || rem != (guardrails.Remaining{Tokens: 850, WallMs: 380, CostMicros: 8500}) {
		t.Fatalf("settle: %v %+v", ok, rem)
	}
	if _, ok := s.Settle(t1, 150, 130); ok {
		t.Fatal("settled twice")
	}
	if got := s.Remaining("a", 999); got != (guardrails.Remaining{Tokens: 850, WallMs: 380, CostMicros: 8500}) {
		t.Fatalf("remaining after settle moved: %+v", got)
	}
	// Sessions are independent; an unknown one has the full budget.
	if got := s.Remaining("b", 0); got != (guardrails.Remaining{Tokens: 1000, WallMs: 500, CostMicros: 10000}) {
		t.Fatalf("fresh session: %+v", got)
	}
	s.Forget("a")
	if got := s.Remaining("a", 0); got.Tokens != 1000 {
		t.Fatalf("Forget kept the account: %+v", got)
	}
}

func TestNoSessionNoBudget(t *testing.T) {
	t.Attr("req", "OC-CORE-1024")
	g := guardrails.Guard{Limits: guardrails.Limits{CtxMax: 10}, Sessions: guardrails.NewSessions(guardrails.Budget{Tokens: 1})}
	a, err := g.Admit(guardrails.Request{PromptTokens: 5}, 0)
	if err != nil || a.Remaining != (guardrails.Remaining{Tokens: -1, WallMs: -1, CostMicros: -1}) {
		t.Fatalf("anonymous request: %v %+v", err, a)
	}
	// Per-request refusals still carry the session's remaining budget.
	a, err = g.Admit(guardrails.Request{Session: "s", PromptTokens: 11}, 0)
	var r *guardrails.Refusal
	if !errors.As(err, &r) || r.Code != "CTX_EXCEEDED" || r.Remaining.Tokens != 1 || a.Remaining.Tokens != 1 {
		t.Fatalf("ctx refusal: %v %+v", err, a)
	}
}

func ExampleGuard_Admit() {
	g := guardrails.Guard{
		Limits:   guardrails.Limits{CtxMax: 8192, MaxRequestTokens: 4096},
		Sessions: guardrails.NewSessions(guardrails.Budget{Tokens: 5000}),
	}
	a, err := g.Admit(guardrails.Request{Session: "s1", PromptTokens: 1000, MaxNewTokens: 3000}, 0)
	fmt.Println(err, a.Remaining.Tokens)
	_, err = g.Admit(guardrails.Request{Session: "s1", PromptTokens: 1000, MaxNewTokens: 1000}, 5)
	fmt.Println(err)
	g.Sessions.Settle(a.Ticket, 1200, 900) // the first job used 1200 tokens
	a, err = g.Admit(guardrails.Request{Session: "s1", PromptTokens: 1000, MaxNewTokens: 1000}, 901)
	fmt.Println(err, a.Remaining.Tokens)
	// Output:
	// <nil> 1000
	// BUDGET_EXCEEDED: tokens limit 5000, requested 2000
	// <nil> 1800
}
