package guardrails

import (
	"fmt"
	"math"
)

// Unlimited is the Remaining amount of a budget that is not configured.
const Unlimited int64 = -1

// Refusal codes.
const (
	CodeCtxExceeded         = "CTX_EXCEEDED"
	CodeTokenBudgetExceeded = "TOKEN_BUDGET_EXCEEDED"
	CodeBudgetExceeded      = "BUDGET_EXCEEDED"
	CodeInvalidParams       = "INVALID_PARAMS"
)

// Budget names used in refusals.
const (
	BudgetCtx           = "ctx_max"
	BudgetRequestTokens = "max_request_tokens"
	BudgetTokens        = "tokens"
	BudgetWallMs        = "wall_ms"
	BudgetCostMicros    = "cost_micros"
	BudgetRequest       = "request_tokens"
)

// Limits are the per-request checks of a pool.
type Limits struct {
	// CtxMax is the model's user-visible context (after template
	// overhead); <= 0 means it is unknown and not checked.
	CtxMax int64
	// MaxRequestTokens bounds prompt + generation; <= 0 means no bound.
	MaxRequestTokens int64
}

// Request is what a task asks for.
type Request struct {
	Session      string
	PromptTokens int64
	MaxNewTokens int64
}

// Tokens is PromptTokens + MaxNewTokens, saturating.
func (r Request) Tokens() int64 { return add(r.PromptTokens, r.MaxNewTokens) }

// Remaining is what a session may still spend; Unlimited for a budget that
// is not configured.
type Remaining struct {
	Tokens     int64
	WallMs     int64
	CostMicros int64
}

// Refusal is a typed refusal naming what was exceeded.
type Refusal struct {
	Code   string
	Budget string
	Limit  int64
	// Requested is what the request needed: its tokens, or its cost; for
	// wall_ms, whose need is unknown at admission, the time the session
	// has already used.
	Requested int64
	Remaining Remaining
}

func (r *Refusal) Error() string {
	return fmt.Sprintf("%s: %s limit %d, requested %d", r.Code, r.Budget, r.Limit, r.Requested)
}

// Is reports whether target is a *Refusal with the same Code.
func (r *Refusal) Is(target error) bool {
	t, ok := target.(*Refusal)
	return ok && t.Code == r.Code
}

// Check applies the per-request limits: context, then token budget.
func Check(l Limits, req Request) error {
	if req.PromptTokens < 0 || req.MaxNewTokens < 0 {
		return &Refusal{Code: CodeInvalidParams, Budget: BudgetRequest, Requested: min(req.PromptTokens, req.MaxNewTokens)}
	}
	n := req.Tokens()
	if l.CtxMax > 0 && n > l.CtxMax {
		return &Refusal{Code: CodeCtxExceeded, Budget: BudgetCtx, Limit: l.CtxMax, Requested: n}
	}
	if l.MaxRequestTokens > 0 && n > l.MaxRequestTokens {
		return &Refusal{Code: CodeTokenBudgetExceeded, Budget: BudgetRequestTokens, Limit: l.MaxRequestTokens, Requested: n}
	}
	return nil
}

// Guard runs every check before admission.
type Guard struct {
	Limits Limits
	// Sessions, when not nil, enforces per-session budgets.
	Sessions *Sessions
}

// Admission is an accepted request: the ticket to settle on completion
// (zero when no session budget applies) and what remains.
type Admission struct {
	Ticket    Ticket
	Remaining Remaining
}

// Admit checks req at nowMs and, if it fits, charges its session. On
// refusal the error is a *Refusal whose Remaining is also returned in the
// Admission.
func (g *Guard) Admit(req Request, nowMs int64) (Admission, error) {
	if err := Check(g.Limits, req); err != nil {
		rem := g.remaining(req.Session, nowMs)
		err.(*Refusal).Remaining = rem
		return Admission{Remaining: rem}, err
	}
	if g.Sessions == nil {
		return Admission{Remaining: unlimited}, nil
	}
	t, rem, err := g.Sessions.Admit(req, nowMs)
	return Admission{Ticket: t, Remaining: rem}, err
}

func (g *Guard) remaining(session string, nowMs int64) Remaining {
	if g.Sessions == nil {
		return unlimited
	}
	return g.Sessions.Remaining(session, nowMs)
}

var unlimited = Remaining{Tokens: Unlimited, WallMs: Unlimited, CostMicros: Unlimited}

// add is a+b saturating at the int64 bounds.
func add(a, b int64) int64 {
	s := a + b
	if (s > a) != (b > 0) {
		if b > 0 {
			return math.MaxInt64
		}
		return math.MinInt64
	}
	return s
}

// mul is a*b for a, b >= 0, saturating at MaxInt64.
func mul(a, b int64) int64 {
	if a == 0 || b == 0 {
		return 0
	}
	if a > math.MaxInt64/b {
		return math.MaxInt64
	}
	return a * b
}
