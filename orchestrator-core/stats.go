package core

// ClassStats describes one class of a pool.
type ClassStats struct {
	Class  string
	Queued int
	// Admitted and Dispatched count since the pool was built. Dispatched
	// counts first dispatches only (attempt 1, the ones the fairness
	// policy chose); a retry's dispatch is not a new share of the class.
	Admitted, Dispatched uint64
	// AdmissionShare is the class's fraction of all admissions (the
	// admission_share gauge); DispatchShare its fraction of first
	// dispatches. An exporter agrees by counting Dispatched events with
	// Attempt 1 only.
	AdmissionShare, DispatchShare float64
}

// Stats is a snapshot of a pool's counts.
type Stats struct {
	Queued   int
	InFlight int
	// Retrying counts the tasks waiting out a retry delay; their tenants'
	// in-flight quota stays taken meanwhile.
	Retrying int
	// Classes are ordered by rank, highest first.
	Classes []ClassStats
	// Tables are the sizes of the tables Config.Bounds bound.
	Tables Tables
}

// Tables counts the entries of a pool's bounded tables (OC-CORE-1054).
type Tables struct {
	// Sessions are the session budget accounts, live and idle; Affinity
	// the sessions with a last good replica.
	Sessions, Affinity int
	// Replicas are the replicas remembered as registered; Sets the
	// replica sets pinned.
	Replicas, Sets int
	// PrefixReplicas and PrefixBlocks are the replicas and the (replica,
	// block) entries of the prefix index (OC-CORE-1055), bounded by
	// Bounds.Replicas and placement.prefix.blocks_per_replica.
	PrefixReplicas, PrefixBlocks int
}

// Stats returns a consistent snapshot of the pool's counts.
func (p *Pool) Stats() Stats {
	p.mu.Lock()
	defer p.mu.Unlock()
	q, sh := p.mu.q, p.mu.shares
	s := Stats{Queued: q.Len(), InFlight: p.mu.jobs.Len(), Retrying: p.mu.waits.len()}
	s.Tables = Tables{Affinity: p.mu.placer.Affinity.Len(), Replicas: p.mu.good.Len(), Sets: p.mu.reg.Sets()}
	if ss := p.mu.guard.Sessions; ss != nil {
		s.Tables.Sessions = ss.Len()
	}
	if x := p.mu.placer.Prefix; x != nil {
		s.Tables.PrefixReplicas, s.Tables.PrefixBlocks = x.Len()
	}
	for i, c := range q.Classes() {
		s.Classes = append(s.Classes, ClassStats{
			Class: c.Name, Queued: q.ClassLen(i),
			Admitted: sh.Admitted(i), Dispatched: sh.Dispatched(i),
			AdmissionShare: sh.AdmissionShare(i), DispatchShare: sh.DispatchShare(i),
		})
	}
	return s
}

// Queue returns the ids queued in the named class, oldest first (nil for
// an unknown class). It walks the class (O(n)) and is meant for
// inspection and tests.
func (p *Pool) Queue(class string) []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	i, ok := p.mu.q.Class(class)
	if !ok {
		return nil
	}
	return p.mu.q.IDs(i)
}

// Usage returns tenant's queued and in-flight counts as the quotas count
// them (zero when the pool has no quotas).
func (p *Pool) Usage(tenant string) (queued, inflight int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.mu.q.Usage(tenant)
}
