package core

import "orchcore.dev/orchestrator-core/internal/churn"

// ring remembers the terminal states of the last n ended tasks: a circular
// buffer of ids plus an index. The oldest id is forgotten when a new one
// arrives at a full ring.
type ring struct {
	ids   []string
	next  int
	full  bool
	state churn.Map[string, State] // a plain map would grow under the churn
}

func newRing(n int) ring {
	return ring{ids: make([]string, n)}
}

func (r *ring) add(id string, s State) {
	if r.full {
		r.state.Delete(r.ids[r.next])
	}
	r.ids[r.next] = id
	r.state.Set(id, s)
	r.next++
	if r.next == len(r.ids) {
		r.next, r.full = 0, true
	}
}

func (r *ring) get(id string) (State, bool) {
	return r.state.Get(id)
}
