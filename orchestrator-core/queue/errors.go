package queue

import "fmt"

// Code is a stable outcome or error code.
type Code string

// Refusal codes and drop reasons carried by an [Outcome].
const (
	QueueFull     Code = "QUEUE_FULL"
	QuotaExceeded Code = "QUOTA_EXCEEDED"
	DroppedLRU    Code = "QUEUE_FULL_DROP_LRU"
	Shed          Code = "SHED_LOW_PRIORITY"
	// TooLarge: the newcomer's token cost alone exceeds its class's or the
	// pool's token capacity, so no eviction could make room.
	TooLarge Code = "TOKENS_EXCEED_CAPACITY"
)

// Error codes of bad input.
const (
	Invalid      Code = "INVALID_PARAMS"
	UnknownClass Code = "UNKNOWN_CLASS"
	DuplicateID  Code = "DUPLICATE_ID"
	NotFound     Code = "NOT_FOUND"
)

// Error is returned for bad input; the queue is left unchanged. Two
// Errors match with errors.Is when their codes are equal.
type Error struct {
	Code Code
	Msg  string
}

func (e *Error) Error() string { return string(e.Code) + ": " + e.Msg }

// Is reports whether target is an *Error with the same code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

func errorf(c Code, format string, args ...any) error {
	return &Error{Code: c, Msg: fmt.Sprintf(format, args...)}
}
