package model

// StaleSince reports whether cur, read from a later report, is stale
// against p, the same requirement in an earlier report: cur is proven or
// flaky (or already marked stale), its content hash differs from p's,
// and every test that proves it has the same non-empty source hash as
// in p. A test p did not have, or one without a source hash in either
// report, counts as changed.
func StaleSince(cur, p *Requirement) bool {
	if cur.Status == Stale {
		return true
	}
	if cur.Status != Proven && cur.Status != Flaky {
		return false
	}
	if p == nil || p.Hash == "" || cur.Hash == "" || p.Hash == cur.Hash {
		return false
	}
	old := make(map[string]string, len(p.Tests))
	for _, t := range p.Tests {
		old[TestKey(t)] = t.Hash
	}
	proving := 0
	for _, t := range cur.Tests {
		if t.Status != Passed && t.Status != FlakyRun {
			continue
		}
		proving++
		if h, ok := old[TestKey(t)]; !ok || h == "" || h != t.Hash {
			return false
		}
	}
	return proving > 0
}

// MarkStale marks the requirements of rep that are stale against base
// (see StaleSince): their status becomes Stale and Was keeps the one
// they had. It returns how many it marked; the summary is recounted when
// any was.
func MarkStale(rep, base *Report) int {
	before := make(map[string]*Requirement, len(base.Requirements))
	for i := range base.Requirements {
		before[base.Requirements[i].ID] = &base.Requirements[i]
	}
	n := 0
	for i := range rep.Requirements {
		q := &rep.Requirements[i]
		if q.Status == Stale || !StaleSince(q, before[q.ID]) {
			continue
		}
		q.Was, q.Status = q.Status, Stale
		n++
	}
	if n > 0 {
		rep.Recount(rep.Summary.Tests)
	}
	return n
}

// WithStale returns head with the requirements that are stale against
// base marked so (see MarkStale), for comparing two reports of which the
// later was written without --baseline. head itself is not changed; when
// nothing is stale, head is returned as it is.
func WithStale(head, base *Report) *Report {
	before := make(map[string]*Requirement, len(base.Requirements))
	for i := range base.Requirements {
		before[base.Requirements[i].ID] = &base.Requirements[i]
	}
	var out *Report
	for i := range head.Requirements {
		q := &head.Requirements[i]
		if q.Status == Stale || !StaleSince(q, before[q.ID]) {
			continue
		}
		if out == nil {
			c := *head
			c.Requirements = append([]Requirement(nil), head.Requirements...)
			out = &c
		}
		r := &out.Requirements[i]
		r.Was, r.Status = r.Status, Stale
	}
	if out == nil {
		return head
	}
	out.Recount(head.Summary.Tests)
	return out
}
