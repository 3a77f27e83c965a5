package scheduling

import "fmt"

// Opt is a value that may be absent. The zero Opt is absent; [Some] makes a
// present one. Requirements use it so that a field nobody could observe is
// visibly missing instead of silently zero (OC-CORE-1014).
type Opt[T comparable] struct {
	v  T
	ok bool
}

// Some returns a present Opt holding v.
func Some[T comparable](v T) Opt[T] { return Opt[T]{v: v, ok: true} }

// Get returns the value and whether it is present.
func (o Opt[T]) Get() (T, bool) { return o.v, o.ok }

// Present reports whether the value is present.
func (o Opt[T]) Present() bool { return o.ok }

// String renders the value, or "absent".
func (o Opt[T]) String() string {
	if !o.ok {
		return "absent"
	}
	return fmt.Sprint(o.v)
}
