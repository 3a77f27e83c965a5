package scheduling

import "orchcore.dev/orchestrator-core/internal/lru"

// DefaultAffinitySessions bounds the sessions an Affinity remembers when
// no other bound is given (OC-CORE-1054).
const DefaultAffinitySessions = 1 << 16

// Affinity remembers each session's last good replica. The caller updates
// it (typically when a job completes); [Placer.Place] only reads it. It
// remembers at most its bound of sessions and forgets the one whose last
// Set is oldest; a forgotten session is placed as a new one (KVWarmth
// false, no Moved). The zero value is ready to use with the default bound.
// It is not safe for concurrent use.
type Affinity struct {
	bound int
	last  *lru.List[string]
}

// NewAffinity returns an Affinity remembering at most bound sessions (at
// least 1).
func NewAffinity(bound int) *Affinity { return &Affinity{bound: max(bound, 1)} }

// Set records replica as the session's last good replica.
func (a *Affinity) Set(session, replica string) {
	if a.last == nil {
		b := a.bound
		if b == 0 {
			b = DefaultAffinitySessions
		}
		a.last = lru.New[string](b, nil)
	}
	a.last.Put(session, replica)
}

// Get returns the session's last good replica.
func (a *Affinity) Get(session string) (string, bool) {
	if a.last == nil {
		return "", false
	}
	return a.last.Get(session)
}

// Delete forgets the session.
func (a *Affinity) Delete(session string) {
	if a.last != nil {
		a.last.Delete(session)
	}
}

// Len returns the number of sessions remembered.
func (a *Affinity) Len() int {
	if a.last == nil {
		return 0
	}
	return a.last.Len()
}
