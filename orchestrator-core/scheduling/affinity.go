package scheduling

// Affinity remembers each session's last good replica. The caller updates
// it (typically when a job completes); [Placer.Place] only reads it. The
// zero value is ready to use. It is not safe for concurrent use.
type Affinity struct {
	last map[string]string
}

// Set records replica as the session's last good replica.
func (a *Affinity) Set(session, replica string) {
	if a.last == nil {
		a.last = make(map[string]string)
	}
	a.last[session] = replica
}

// Get returns the session's last good replica.
func (a *Affinity) Get(session string) (string, bool) {
	r, ok := a.last[session]
	return r, ok
}

// Delete forgets the session.
func (a *Affinity) Delete(session string) { delete(a.last, session) }

// Len returns the number of sessions remembered.
func (a *Affinity) Len() int { return len(a.last) }
