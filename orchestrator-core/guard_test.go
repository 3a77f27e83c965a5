package core_test

import (
	"errors"
	"testing"

	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/guardrails"
	"orchcore.dev/orchestrator-core/observe"
	"orchcore.dev/orchestrator-core/scheduling"
)

const unl = guardrails.Unlimited

// Each guardrail refuses before the queue with a typed *Error naming the
// budget, and the task ends REJECTED with the code as reason.
func TestAdmitGuardrails(t *testing.T) {
	withCtx := func(c int) func(*core.Task) {
		return func(tk *core.Task) { tk.Model.CtxMax = scheduling.Some(c) }
	}
	cases := []struct {
		name, req string
		cfg       func(*core.Config)
		task      func(*core.Task) // applied to mtask("x") = 100+100 tokens
		pre       func(p *core.Pool, clk *core.ManualClock)
		code      core.Code
		budget    string
		limit     int64
		requested int64
		rem       guardrails.Remaining
	}{
		{name: "ctx from model", req: "OC-CORE-1020", task: withCtx(150),
			code: core.CtxExceeded, budget: guardrails.BudgetCtx, limit: 150, requested: 200,
			rem: guardrails.Remaining{Tokens: unl, WallMs: unl, CostMicros: unl}},
		{name: "ctx from limits", req: "OC-CORE-1020", cfg: func(c *core.Config) { c.Limits.CtxMax = 199 },
			code: core.CtxExceeded, budget: guardrails.BudgetCtx, limit: 199, requested: 200,
			rem: guardrails.Remaining{Tokens: unl, WallMs: unl, CostMicros: unl}},
		{name: "model ctx overrides limits", req: "OC-CORE-1020",
			cfg: func(c *core.Config) { c.Limits.CtxMax = 10000 }, task: withCtx(120),
			code: core.CtxExceeded, budget: guardrails.BudgetCtx, limit: 120, requested: 200,
			rem: guardrails.Remaining{Tokens: unl, WallMs: unl, CostMicros: unl}},
		{name: "token budget", req: "OC-CORE-1021", cfg: func(c *core.Config) { c.Limits.MaxRequestTokens = 150 },
			code: core.TokenBudgetExceeded, budget: guardrails.BudgetRequestTokens, limit: 150, requested: 200,
			rem: guardrails.Remaining{Tokens: unl, WallMs: unl, CostMicros: unl}},
		{name: "session tokens", req: "OC-CORE-1023",
			cfg:  func(c *core.Config) { c.Budget = &guardrails.Budget{Tokens: 350} },
			pre:  func(p *core.Pool, _ *core.ManualClock) { sameSession(p, "y") }, // reserves 200
			code: core.BudgetExceeded, budget: guardrails.BudgetTokens, limit: 350, requested: 200,
			rem: guardrails.Remaining{Tokens: 150, WallMs: unl, CostMicros: unl}},
		{name: "session cost", req: "OC-CORE-1023",
			cfg:  func(c *core.Config) { c.Budget = &guardrails.Budget{CostMicros: 300, CostPerTokenMicros: 2} },
			code: core.BudgetExceeded, budget: guardrails.BudgetCostMicros, limit: 300, requested: 400,
			rem: guardrails.Remaining{Tokens: unl, WallMs: unl, CostMicros: 300}},
		{name: "session wall time", req: "OC-CORE-1023",
			cfg: func(c *core.Config) { c.Budget = &guardrails.Budget{WallMs: 100} },
			pre: func(p *core.Pool, clk *core.ManualClock) {
				sameSession(p, "y")
				clk.Advance(100) // y is still open: the session has used 100 ms
			},
			code: core.BudgetExceeded, budget: guardrails.BudgetWallMs, limit: 100, requested: 100,
			rem: guardrails.Remaining{Tokens: unl, WallMs: 0, CostMicros: unl}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Attr("req", c.req)
			t.Attr("req", "OC-CORE-1024")
			p, rec, clk := newPool(t, c.cfg)
			if c.pre != nil {
				c.pre(p, clk)
			}
			tk := mtask("x")
			tk.SessionID = "s"
			if c.task != nil {
				c.task(&tk)
			}
			before := p.Stats().Queued
			_, err := p.Admit(tk)
			var e *core.Error
			if !errors.As(err, &e) {
				t.Fatalf("Admit = %v, want a refusal", err)
			}
			if e.Code != c.code || e.Budget != c.budget || e.Limit != c.limit || e.Requested != c.requested {
				t.Fatalf("refusal %+v, want %s budget=%s limit=%d requested=%d", e, c.code, c.budget, c.limit, c.requested)
			}
			if e.Remaining == nil || *e.Remaining != c.rem {
				t.Fatalf("remaining %+v, want %+v", e.Remaining, c.rem)
			}
			if p.Stats().Queued != before {
				t.Fatal("a refused task was queued")
			}
			state(t, p, "x", core.Rejected)
			evs := rec.Events()
			if last := evs[len(evs)-1]; last.Kind != observe.Rejected || last.TaskID != "x" || last.Reason != string(c.code) {
				t.Fatalf("last event %+v", last)
			}
		})
	}
}

// sameSession admits task y (200 tokens) in session "s".
func sameSession(p *core.Pool, id string) {
	tk := mtask(id)
	tk.SessionID = "s"
	if _, err := p.Admit(tk); err != nil {
		panic(err)
	}
}

// The remaining budget comes with every decision: admissions, refusals
// by the queue (which charge nothing), and it grows back when a job ends
// with fewer tokens than reserved.
func TestAdmitRemainingBudget(t *testing.T) {
	t.Attr("req", "OC-CORE-1024")
	t.Attr("req", "OC-CORE-1023")
	p, _, clk := newPool(t, func(c *core.Config) {
		c.Classes = classes(1)
		c.Budget = &guardrails.Budget{Tokens: 1000, WallMs: 5000}
	})
	a1 := mtask("a1")
	a1.SessionID = "s"
	a, err := p.Admit(a1) // reserves 200
	if err != nil {
		t.Fatal(err)
	}
	if want := (guardrails.Remaining{Tokens: 800, WallMs: 5000, CostMicros: unl}); a.Remaining != want {
		t.Fatalf("remaining after a1 %+v, want %+v", a.Remaining, want)
	}
	a2 := mtask("a2") // batch is full (capacity 1): QUEUE_FULL
	a2.SessionID = "s"
	_, err = p.Admit(a2)
	var e *core.Error
	if !errors.As(err, &e) || e.Code != core.QueueFull || e.Remaining == nil || e.Remaining.Tokens != 800 {
		t.Fatalf("queue refusal %v (remaining %+v), want QUEUE_FULL with 800 tokens left", err, e.Remaining)
	}
	clk.Advance(10)
	if _, ok := p.Next(snapOf(rep("r1", 100))); !ok {
		t.Fatal("a1 not dispatched")
	}
	if err := p.Token("a1", 30); err != nil {
		t.Fatal(err)
	}
	clk.Advance(40)
	if err := p.Complete("a1"); err != nil {
		t.Fatal(err)
	}
	// a1 used 100 prompt + 30 output tokens over 50 ms.
	a3 := mtask("a3")
	a3.SessionID = "s"
	a, err = p.Admit(a3)
	if err != nil {
		t.Fatal(err)
	}
	if want := (guardrails.Remaining{Tokens: 1000 - 130 - 200, WallMs: 5000 - 50, CostMicros: unl}); a.Remaining != want {
		t.Fatalf("remaining after settling a1 and admitting a3 %+v, want %+v", a.Remaining, want)
	}
	// Refusals of bad input carry it too.
	_, err = p.Admit(a3)
	if !errors.As(err, &e) || e.Code != core.DuplicateID || e.Remaining == nil || e.Remaining.Tokens != 1000-130-200 {
		t.Fatalf("duplicate id: %v, remaining %+v", err, e.Remaining)
	}
	// Without session budgets every amount reads Unlimited.
	q, _, _ := newPool(t, nil)
	a, err = q.Admit(mtask("z"))
	if err != nil || a.Remaining != (guardrails.Remaining{Tokens: unl, WallMs: unl, CostMicros: unl}) {
		t.Fatalf("no budgets: %+v, %v", a.Remaining, err)
	}
}
