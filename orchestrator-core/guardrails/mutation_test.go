package guardrails_test

// Tests that kill the mutants gremlins found alive (make mutation,
// docs/mutation.md): a zero-token side of a request is valid, and the cost
// of a request is exact up to the last product that fits in an int64.

import (
	"errors"
	"math"
	"testing"

	"orchcore.dev/orchestrator-core/guardrails"
)

// Only a negative token count is invalid: zero prompt tokens or zero new
// tokens is a request like any other, checked against the limits.
func TestCheckZeroTokenSides(t *testing.T) {
	limits := guardrails.Limits{CtxMax: 10}
	cases := []struct {
		name           string
		prompt, newTok int64
		code           string
		asked          int64
	}{
		{"zero prompt", 0, 5, "", 0},
		{"zero new tokens", 5, 0, "", 0},
		{"both zero", 0, 0, "", 0},
		{"zero prompt over ctx", 0, 11, guardrails.CodeCtxExceeded, 11},
		{"negative prompt", -1, 5, guardrails.CodeInvalidParams, -1},
		{"negative new tokens", 5, -2, guardrails.CodeInvalidParams, -2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Attr("req", "OC-CORE-1020")
			err := guardrails.Check(limits, guardrails.Request{PromptTokens: c.prompt, MaxNewTokens: c.newTok})
			if c.code == "" {
				if err != nil {
					t.Fatalf("Check(%d, %d) = %v, want accepted", c.prompt, c.newTok, err)
				}
				return
			}
			var r *guardrails.Refusal
			if !errors.As(err, &r) || r.Code != c.code || r.Requested != c.asked {
				t.Fatalf("Check(%d, %d) = %v, want %s requesting %d", c.prompt, c.newTok, err, c.code, c.asked)
			}
		})
	}
}

// A refusal names the cost requested, tokens x cost_per_token_micros,
// exactly while the product fits in an int64 and saturated at MaxInt64
// beyond. The values are written out: MaxInt64 = 9223372036854775807.
func TestCostRequestedAtTheOverflowEdge(t *testing.T) {
	cases := []struct {
		name     string
		tokens   int64
		perToken int64
		asked    int64
	}{
		{"largest exact product of 2", 4611686018427387903, 2, 9223372036854775806},
		{"one token more saturates", 4611686018427387904, 2, math.MaxInt64},
		{"largest exact product of 3", 3074457345618258602, 3, 9223372036854775806},
		{"one token more saturates, 3", 3074457345618258603, 3, math.MaxInt64},
		{"product exactly MaxInt64", 1317624576693539401, 7, math.MaxInt64},
		{"per token 1 never saturates", math.MaxInt64, 1, math.MaxInt64},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Attr("req", "OC-CORE-1023")
			s := guardrails.NewSessions(guardrails.Budget{CostMicros: 1, CostPerTokenMicros: c.perToken})
			_, _, err := s.Admit(guardrails.Request{Session: "s", PromptTokens: c.tokens}, 0)
			var r *guardrails.Refusal
			if !errors.As(err, &r) || r.Budget != guardrails.BudgetCostMicros || r.Requested != c.asked || r.Limit != 1 {
				t.Fatalf("Admit(%d tokens at %d) = %v, want cost_micros limit 1 requesting %d", c.tokens, c.perToken, err, c.asked)
			}
		})
	}
}
