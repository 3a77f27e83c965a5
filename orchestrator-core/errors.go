package core

import (
	"errors"
	"fmt"

	"orchcore.dev/orchestrator-core/queue"
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
	Msg   string
}

func (e *Error) Error() string {
	s := string(e.Code)
	if e.TaskID != "" {
		s += " task=" + e.TaskID
	}
	if e.Quota != "" {
		s += " quota=" + e.Quota
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
