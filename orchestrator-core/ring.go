package core

// ring remembers the terminal states of the last n ended tasks: a circular
// buffer of ids plus an index. The oldest id is forgotten when a new one
// arrives at a full ring.
type ring struct {
	ids   []string
	next  int
	full  bool
	state map[string]State
}

func newRing(n int) ring {
	return ring{ids: make([]string, n), state: make(map[string]State, n)}
}

func (r *ring) add(id string, s State) {
	if r.full {
		delete(r.state, r.ids[r.next])
	}
	r.ids[r.next] = id
	r.state[id] = s
	r.next++
	if r.next == len(r.ids) {
		r.next, r.full = 0, true
	}
}

func (r *ring) get(id string) (State, bool) {
	s, ok := r.state[id]
	return s, ok
}
