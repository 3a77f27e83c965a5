package steps

import (
	"fmt"
	"regexp"
	"strconv"

	"github.com/cucumber/godog"

	"orchcore.dev/orchestrator-core/guardrails"
)

var budgetSpec = regexp.MustCompile(`^(\d+) tokens$|^(\d+) ms of wall time$|^(\d+) cost micros at (\d+) micros a token$`)

func (w *world) budgetSteps(sc *godog.ScenarioContext) {
	sc.Step(`^the model ctx_max is (\d+) tokens$`, func(n int64) {
		w.rails.Limits.CtxMax, w.railsOn = n, true
	})
	sc.Step(`^the token budget per request is (\d+) tokens$`, func(n int64) {
		w.rails.Limits.MaxRequestTokens, w.railsOn = n, true
	})
	sc.Step(`^session (\w+) has a budget of (.+)$`, w.sessionBudget)
	sc.Step(`^the admission of (\w+) reports (\d+) tokens remaining$`, w.tokensLeft)
}

// sessionBudget sets the budget of every session in the ledger; the
// scenarios name the one session they use.
func (w *world) sessionBudget(_ string, spec string) error {
	m := budgetSpec.FindStringSubmatch(spec)
	if m == nil {
		return fmt.Errorf("cannot read the budget %q", spec)
	}
	n := func(i int) int64 { v, _ := strconv.ParseInt(m[i], 10, 64); return v }
	var b guardrails.Budget
	switch {
	case m[1] != "":
		b.Tokens = n(1)
	case m[2] != "":
		b.WallMs = n(2)
	default:
		b.CostMicros, b.CostPerTokenMicros = n(3), n(4)
	}
	w.rails.Sessions = guardrails.NewSessions(b)
	w.railsOn = true
	return nil
}

func (w *world) tokensLeft(id string, n int64) error {
	r, ok := w.remaining[id]
	if !ok {
		return fmt.Errorf("no guardrail decision was made for %s", id)
	}
	if r.Tokens != n {
		return fmt.Errorf("task %s: want %d tokens remaining, got %d", id, n, r.Tokens)
	}
	return nil
}
