package core

import (
	"errors"
	"fmt"

	"orchcore.dev/orchestrator-core/guardrails"
	"orchcore.dev/orchestrator-core/queue"
	"orchcore.dev/orchestrator-core/scheduling"
)

// Code is a stable error code. Callers map codes to their own envelopes
// (HTTP status, gRPC code); the core never does.
type Code string

// Error codes returned by the Pool.
const (
	QueueFull     Code = "QUEUE_FULL"
	QuotaExceeded Code = "QUOTA_EXCEEDED"
	NotFound      Code = "NOT_FOUND"
	InvalidParams Code = "INVALID_PARAMS"
	DuplicateID   Code = "DUPLICATE_ID"
	UnknownClass  Code = "UNKNOWN_CLASS"
	InvalidState  Code = "INVALID_STATE"
	// TokensExceedCapacity refuses a task whose token cost alone exceeds
	// its class's or the pool's token capacity (OC-CORE-1051).
	TokensExceedCapacity Code = "TOKENS_EXCEED_CAPACITY"
	// Guardrail refusals (OC-CORE-1020, 1021, 1023).
	CtxExceeded         Code = "CTX_EXCEEDED"
	TokenBudgetExceeded Code = "TOKEN_BUDGET_EXCEEDED"
	BudgetExceeded      Code = "BUDGET_EXCEEDED"
	// PoolUnready refuses a pin to a pool with no Ready replica
	// (OC-CORE-1019).
	PoolUnready Code = "POOL_UNREADY"
)

// Error is every error the Pool returns. errors.As(err, &e) gives the code;
// errors.Is(err, &core.Error{Code: c}) matches on the code alone.
type Error struct {
	Code Code
	// TaskID is the task the error concerns, if any.
	TaskID string
	// Quota names the exceeded quota (queue.MaxQueued or
	// queue.MaxInFlight) when Code is QUOTA_EXCEEDED.
	Quota string
	// Budget names the exceeded guardrail (guardrails.BudgetCtx, ...)
	// for CTX_EXCEEDED, TOKEN_BUDGET_EXCEEDED and BUDGET_EXCEEDED, with
	// its Limit and what was Requested.
	Budget           string
	Limit, Requested int64
	// Remaining is, on an Admit refusal, what the task's session may
	// still spend (OC-CORE-1024); nil on other errors.
	Remaining *guardrails.Remaining
	Msg       string
}

func (e *Error) Error() string {
	s := string(e.Code)
	if e.TaskID != "" {
		s += " task=" + e.TaskID
	}
	if e.Quota != "" {
		s += " quota=" + e.Quota
	}
	if e.Budget != "" {
		s += fmt.Sprintf(" budget=%s limit=%d requested=%d", e.Budget, e.Limit, e.Requested)
	}
	if e.Msg != "" {
		s += ": " + e.Msg
	}
	return s
}

// Is reports whether target is an *Error with the same code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// CodeOf returns the code of err if it is or wraps an *Error, else "".
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

func errorf(c Code, id, format string, args ...any) *Error {
	return &Error{Code: c, TaskID: id, Msg: fmt.Sprintf(format, args...)}
}

// fromQueue converts a queue input error into an *Error.
func fromQueue(err error, id string) *Error {
	var qe *queue.Error
	if errors.As(err, &qe) {
		return &Error{Code: Code(qe.Code), TaskID: id, Msg: qe.Msg}
	}
	return &Error{Code: InvalidParams, TaskID: id, Msg: err.Error()}
}

// fromRefusal converts a guardrails refusal into an *Error.
func fromRefusal(err error, id string, rem guardrails.Remaining) *Error {
	var r *guardrails.Refusal
	if !errors.As(err, &r) {
		return &Error{Code: InvalidParams, TaskID: id, Msg: err.Error(), Remaining: &rem}
	}
	return &Error{Code: Code(r.Code), TaskID: id, Budget: r.Budget, Limit: r.Limit,
		Requested: r.Requested, Remaining: &rem}
}

// fromPlacement converts a scheduling refusal (a pin) into an *Error.
func fromPlacement(err error, id string) *Error {
	var se *scheduling.Error
	if errors.As(err, &se) {
		return &Error{Code: Code(se.Code), TaskID: id, Msg: "pin " + se.Pool + ": " + se.Msg}
	}
	return &Error{Code: InvalidParams, TaskID: id, Msg: err.Error()}
}
