package steps

import (
	"fmt"
	"regexp"
	"strconv"

	"github.com/cucumber/godog"

	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/guardrails"
)

var budgetSpec = regexp.MustCompile(`^(\d+) tokens$|^(\d+) ms of wall time$|^(\d+) cost micros at (\d+) micros a token$`)

func (w *world) budgetSteps(sc *godog.ScenarioContext) {
	sc.Step(`^the model ctx_max is (\d+) tokens$`, func(n int64) error {
		return w.configure(func(c *core.Config) { c.Limits.CtxMax = n })
	})
	sc.Step(`^the token budget per request is (\d+) tokens$`, func(n int64) error {
		return w.configure(func(c *core.Config) { c.Limits.MaxRequestTokens = n })
	})
	sc.Step(`^every session has a budget of (.+)$`, w.sessionBudget)
	sc.Step(`^the admission of (\w+) reports (\d+) tokens remaining$`, w.tokensLeft)
}

// sessionBudget sets the budget every session of the pool gets.
func (w *world) sessionBudget(spec string) error {
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
	return w.configure(func(c *core.Config) { c.Budget = &b })
}

// tokensLeft checks the remaining session tokens that the admission
// decision of id carried, whether it admitted or refused the task.
func (w *world) tokensLeft(id string, n int64) error {
	a, err := w.arrivedAs(id)
	if err != nil {
		return err
	}
	r, ok := a.remaining()
	if !ok {
		return fmt.Errorf("the admission decision of %s carries no remaining budget: %v", id, a.err)
	}
	if r.Tokens != n {
		return fmt.Errorf("task %s: want %d tokens remaining, got %d", id, n, r.Tokens)
	}
	return nil
}
