package scheduling

// Policy holds the placement switches from configuration.
type Policy struct {
	AllowPin bool
	// Saturation gates replicas by their load samples (OC-CORE-1056).
	Saturation Saturation
	// Prefix scores feasible replicas by the prompt blocks they hold
	// (OC-CORE-1055).
	Prefix PrefixPolicy
}

// Saturation are the thresholds above which a replica is not a
// candidate; a zero field is off.
type Saturation struct {
	// MaxQueueDepth: a replica whose engine queue is deeper is saturated.
	MaxQueueDepth int
	// MaxKVPermille: a replica whose KV cache is fuller is saturated.
	MaxKVPermille int
	// MaxSampleAgeMs: a replica whose sample is older, or that has none,
	// is saturated (a stale sample says nothing about its load).
	MaxSampleAgeMs int64
}

// Placer places tasks on replicas. It keeps no state between decisions
// other than the Affinity table it reads. Not safe for concurrent use.
type Placer struct {
	Policy Policy
	// Affinity, when not nil, keeps sessions on their last good replica.
	Affinity *Affinity
	// Prefix, when not nil and Policy.Prefix is enabled, is the index the
	// prefix score reads (OC-CORE-1055). Place only reads it; the caller
	// learns what it places.
	Prefix *Prefix

	mutants mutants // empty without the mutants build tag (mutants_off.go)
	seen    seen    // per-decision scratch, reused
}

// Place chooses a replica for req in snap.
//
// A non-nil error is a refusal (the task must end REJECTED): a nil req,
// a pin when
// pinning is disabled or to a pool not in snap.Pools (INVALID_PARAMS), or
// a pin to a pool with no Ready replica (POOL_UNREADY). Otherwise the
// Decision says whether a replica was assigned; if not, the task may wait
// and Decision.Reason says why.
//
// One linear pass over snap.Replicas: each in-scope replica goes through
// the filters and the feasible ones are compared with the running best;
// the same pass finds repeated ids, and only when a feasible replica
// turns out to repeat one does a second pass choose again. No sorting, and
// no allocation once the Placer has seen a snapshot of this size.
func (p *Placer) Place(req *Request, snap Snapshot) (Decision, error) {
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
	sc := &p.seen
	sc.reset(len(snap.Replicas))
	best, stay, least, hint, again := -1, -1, -1, 0, false
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
		if best < 0 || p.before(r, &snap.Replicas[best]) {
			best = i
		}
		if least < 0 || p.lighter(r, &snap.Replicas[least]) {
			least = i
		}
	}
	if again { // a feasible pick turned out to repeat an id: choose again
		best, stay, least = -1, -1, -1
		for i := range snap.Replicas {
			if sc.out[i] != NoReason {
				continue
			}
			r := &snap.Replicas[i]
			if sticky && stay < 0 && r.ID == last {
				stay = i
			}
			if best < 0 || p.before(r, &snap.Replicas[best]) {
				best = i
			}
			if least < 0 || p.lighter(r, &snap.Replicas[least]) {
				least = i
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
	switch {
	case stay >= 0:
		// Session affinity first: the session's last good replica holds
		// its earlier turns (OC-CORE-1013); the prefix score and the
		// guard apply only to tasks that have none, or whose last
		// replica is not feasible.
		pick, d.KVWarmth = stay, true
		if p.scores(req) {
			d.MatchedBlocks = p.matchOf(req, snap.Replicas[stay].ID)
		}
	case p.scores(req):
		pick, d.MatchedBlocks, d.Guarded = p.prefer(req, snap.Replicas, sc, best, least)
		d.KVWarmth = d.MatchedBlocks > 0
	}
	d.Moved = sticky && stay < 0
	r := &snap.Replicas[pick]
	d.Assigned, d.Index = true, pick
	d.ReplicaID, d.PoolID, d.ReplicaSet = r.ID, r.PoolID, r.ReplicaSet
	return d, nil
}

// lighter orders replicas by load: fewer active slots, then the total
// order.
func (p *Placer) lighter(a, b *Replica) bool {
	if a.ActiveSlots != b.ActiveSlots {
		return a.ActiveSlots < b.ActiveSlots
	}
	return p.before(a, b)
}

// scores reports whether req is placed by prefix score.
func (p *Placer) scores(req *Request) bool {
	return p.Policy.Prefix.Enabled && p.Prefix != nil && len(req.Blocks) > 0
}

// matchOf returns how many leading blocks of req replica id holds.
func (p *Placer) matchOf(req *Request, id string) int {
	for _, h := range p.Prefix.Match(req.Blocks) {
		if h.Replica == id {
			return h.Blocks
		}
	}
	return 0
}

func (p *Placer) before(a, b *Replica) bool {
	if p.mutants.brokenTie() && a.FreeVRAMMB == b.FreeVRAMMB && a.ActiveSlots == b.ActiveSlots {
		return false
	}
	return before(a, b)
}

func poolIndex(pools []Pool, id string) int {
	for i := range pools {
		if pools[i].ID == id {
			return i
		}
	}
	return -1
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
