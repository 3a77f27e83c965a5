package scheduling

// The string-based placement path as it was before [Table]: kept here,
// in a test file only, as the reference the compiled path must agree
// with decision for decision (TestPlaceInMatchesStringPath), and for the
// string baselines of the benchmarks.

// legacy is the old Placer: per-decision scratch and the policy.
type legacy struct {
	Policy   Policy
	Affinity *Affinity
	seen     seen
	out      []Reason
}

func (p *legacy) place(req *Request, snap Snapshot) (Decision, error) {
	d := Decision{Index: -1}
	if req == nil {
		return d, &Error{Code: CodeInvalidParams, Msg: "nil request"}
	}
	scope := snap.Pools
	if req.Pin != "" {
		if !p.Policy.AllowPin {
			return d, &Error{Code: CodeInvalidParams, Pool: req.Pin, Msg: "pinning is disabled"}
		}
		i := poolIndex(snap.Pools, req.Pin)
		if i < 0 {
			return d, &Error{Code: CodeInvalidParams, Pool: req.Pin, Msg: "unknown pool"}
		}
		scope = snap.Pools[i : i+1]
		d.Pinned = true
	}
	last, sticky := "", false
	if p.Affinity != nil && req.SessionID != "" {
		last, sticky = p.Affinity.Get(req.SessionID)
	}

	n := needOf(req)
	n.sat = p.Policy.Saturation
	sc := p
	sc.reset(len(snap.Replicas))
	best, stay, hint, again := -1, -1, 0, false
	for i := range snap.Replicas {
		r := &snap.Replicas[i]
		j := sc.add(snap.Replicas, i)
		if j >= 0 && sc.repeat(&d, j) {
			again = again || j == best || j == stay
		}
		sc.out[i] = outside
		if req.ReplicaSet != "" && r.ReplicaSet != req.ReplicaSet {
			continue
		}
		pi := poolOf(scope, r.PoolID, &hint)
		if pi < 0 {
			continue
		}
		d.CandidatesTotal++
		if j >= 0 || untrusted(r) {
			sc.out[i] = ReplicaInvalid
			d.Filtered[ReplicaInvalid]++
			continue
		}
		why := n.check(r, &scope[pi])
		sc.out[i] = why
		if why != NoReason {
			d.Filtered[why]++
			continue
		}
		d.CandidatesFeasible++
		if sticky && stay < 0 && r.ID == last {
			stay = i
		}
		if best < 0 || before(r, &snap.Replicas[best]) {
			best = i
		}
	}
	if again { // a feasible pick turned out to repeat an id: choose again
		best, stay = -1, -1
		for i := range snap.Replicas {
			if sc.out[i] != NoReason {
				continue
			}
			r := &snap.Replicas[i]
			if sticky && stay < 0 && r.ID == last {
				stay = i
			}
			if best < 0 || before(r, &snap.Replicas[best]) {
				best = i
			}
		}
	}

	if best < 0 {
		d.Reason = ReasonFor(d.Filtered)
		if d.Pinned && d.Reason == PoolUnready {
			return d, &Error{Code: CodePoolUnready, Pool: req.Pin, Msg: "no Ready replica"}
		}
		return d, nil
	}
	pick := best
	if stay >= 0 {
		pick, d.KVWarmth = stay, true
	}
	d.Moved = sticky && stay < 0
	r := &snap.Replicas[pick]
	d.Assigned, d.Index = true, pick
	d.ReplicaID, d.PoolID, d.ReplicaSet = r.ID, r.PoolID, r.ReplicaSet
	return d, nil
}

// poolOf finds id in pools, trying *hint first: snapshots usually list a
// pool's replicas together, so the lookup is O(1) in the common case.
func poolOf(pools []Pool, id string, hint *int) int {
	if *hint < len(pools) && pools[*hint].ID == id {
		return *hint
	}
	i := poolIndex(pools, id)
	if i >= 0 {
		*hint = i
	}
	return i
}

func (s *legacy) repeat(d *Decision, j int) bool {
	switch o := s.out[j]; o {
	case outside, ReplicaInvalid:
		return false
	case NoReason:
		d.CandidatesFeasible--
		d.Filtered[ReplicaInvalid]++
		s.out[j] = ReplicaInvalid
		return true
	default:
		d.Filtered[o]--
		d.Filtered[ReplicaInvalid]++
		s.out[j] = ReplicaInvalid
		return false
	}
}

func (s *legacy) reset(n int) {
	s.seen.reset(n)
	if cap(s.out) < n {
		s.out = make([]Reason, n)
	}
	s.out = s.out[:n]
}

func (s *legacy) add(rs []Replica, i int) int { return s.seen.add(rs, i) }

// need is a Request's requirements unpacked once per decision, so the
// per-replica filters read plain fields instead of re-reading the request.
type need struct {
	engine, model, digest, quant string
	hasDigest, hasQuant, hasCtx  bool
	streaming                    bool
	ctx                          int
	extensions                   []string
	sat                          Saturation
}

func needOf(req *Request) need {
	n := need{engine: req.Engine, model: req.ModelID, extensions: req.Extensions}
	n.digest, n.hasDigest = req.ModelDigest.Get()
	n.quant, n.hasQuant = req.Quant.Get()
	n.ctx, n.hasCtx = req.CtxMax.Get()
	s, ok := req.Streaming.Get()
	n.streaming = ok && s
	return n
}

// check runs the filter pipeline on one candidate and returns the first
// reason that rejects it, or NoReason when it is feasible. Stages run
// cheapest first; their order defines the Reason values.
func (n *need) check(r *Replica, p *Pool) Reason {
	switch {
	case !r.Ready: // OC-CORE-1010
		return PoolUnready
	case !insideMask(r.Devices, p.DeviceMask): // OC-CORE-1011
		return DeviceMaskMismatch
	case !n.sameModel(r): // OC-CORE-1016
		return EngineMismatch
	case n.hasCtx && r.CtxMaxSupported < n.ctx: // OC-CORE-1015, 1016
		return InsufficientCtx
	case !n.hasExtensions(r): // OC-CORE-1016
		return ExtensionsUnsatisfied
	case r.ActiveSlots >= r.SlotsTotal:
		return NoCapacity
	case n.saturated(r): // OC-CORE-1056
		return Saturated
	}
	return NoReason
}

// saturated reports a replica above a load threshold, with a stale or
// missing sample under a maximum age, or whose sample is impossible (KV
// utilization outside 0..1000 per mille, a negative queue depth or age),
// which is taken as saturated whatever the thresholds.
func (n *need) saturated(r *Replica) bool {
	s := &n.sat
	if r.Sampled && (r.KVPermille < 0 || r.KVPermille > 1000 || r.QueueDepth < 0 || r.SampleAgeMs < 0) {
		return true
	}
	if s.MaxSampleAgeMs > 0 && (!r.Sampled || r.SampleAgeMs > s.MaxSampleAgeMs) {
		return true
	}
	return r.Sampled && ((s.MaxQueueDepth > 0 && r.QueueDepth > s.MaxQueueDepth) ||
		(s.MaxKVPermille > 0 && r.KVPermille > s.MaxKVPermille))
}

func (n *need) sameModel(r *Replica) bool {
	return (n.engine == "" || r.Engine == n.engine) &&
		r.ModelID == n.model &&
		(!n.hasDigest || r.ModelDigest == n.digest) &&
		(!n.hasQuant || r.Quant == n.quant)
}

func (n *need) hasExtensions(r *Replica) bool {
	if n.streaming && !contains(r.Features, FeatureStreaming) {
		return false
	}
	for _, e := range n.extensions {
		if !contains(r.Features, e) {
			return false
		}
	}
	return true
}

// before reports whether a precedes b in the placement order
// (free_vram_mb desc, active_slots asc, replica_id asc; OC-CORE-1017).
func before(a, b *Replica) bool {
	if a.FreeVRAMMB != b.FreeVRAMMB {
		return a.FreeVRAMMB > b.FreeVRAMMB
	}
	if a.ActiveSlots != b.ActiveSlots {
		return a.ActiveSlots < b.ActiveSlots
	}
	return a.ID < b.ID
}
