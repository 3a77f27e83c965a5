package scheduling

import "fmt"

// Codes of refusals returned as *Error by [Placer.Place].
const (
	CodeInvalidParams = "INVALID_PARAMS"
	// CodePoolUnready (declared with the reasons) is also a refusal code:
	// a pinned pool with no Ready replica.
)

// Error is a placement refusal: the task must be refused, not kept queued.
// Match it with errors.As, or with errors.Is against an *Error carrying only
// a Code.
type Error struct {
	Code string // CodeInvalidParams or CodePoolUnready
	Pool string // the pinned pool
	Msg  string
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s: pool %q: %s", e.Code, e.Pool, e.Msg)
}

// Is reports whether target is an *Error with the same Code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}
