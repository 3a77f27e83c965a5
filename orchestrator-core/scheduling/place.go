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

	table Table // Place's compiled snapshot, reused
	q     query // the request compiled, reused
	out   []Reason
	hits  []hit // the prefix index's hits of the decision, resolved
}

// Place chooses a replica for req in snap: it loads snap into the
// Placer's own [Table] and calls [Placer.PlaceIn] with snap.Pools, so
// both make the same decision.
func (p *Placer) Place(req *Request, snap Snapshot) (Decision, error) {
	p.table.Load(snap)
	return p.PlaceIn(req, &p.table, snap.Pools)
}

// PlaceIn chooses a replica for req among the replicas loaded in t whose
// pool is listed in pools (the pools of the decision; a pin must name one
// of them).
//
// A non-nil error is a refusal (the task must end REJECTED): a nil req,
// a pin when pinning is disabled or to a pool not in pools
// (INVALID_PARAMS), or a pin to a pool with no Ready replica
// (POOL_UNREADY). Otherwise the Decision says whether a replica was
// assigned; if not, the task may wait and Decision.Reason says why.
//
// One linear pass over t's records: each in-scope replica goes through
// every filter in pipeline order with integer compares, is counted, and
// when feasible is compared with the running best. No sorting, and no
// allocation once the Placer has decided on a table of this size.
func (p *Placer) PlaceIn(req *Request, t *Table, pools []Pool) (Decision, error) {
	d := Decision{Index: -1}
	if req == nil {
		return d, &Error{Code: CodeInvalidParams, Msg: "nil request"}
	}
	scope := pools
	if req.Pin != "" {
		if !p.Policy.AllowPin {
			return d, &Error{Code: CodeInvalidParams, Pool: req.Pin, Msg: "pinning is disabled"}
		}
		i := poolIndex(pools, req.Pin)
		if i < 0 {
			return d, &Error{Code: CodeInvalidParams, Pool: req.Pin, Msg: "unknown pool"}
		}
		scope = pools[i : i+1]
		d.Pinned = true
	}
	last, sticky := "", false
	if p.Affinity != nil && req.SessionID != "" {
		last, sticky = p.Affinity.Get(req.SessionID)
	}

	q := &p.q
	q.compile(req, t, scope, p.Policy.Saturation)
	if cap(p.out) < len(t.recs) {
		p.out = make([]Reason, len(t.recs))
	}
	out := p.out[:len(t.recs)]
	p.out = out
	best, least := -1, -1
	for i := range t.recs {
		c := &t.recs[i]
		out[i] = outside
		if q.wantSet && c.set != q.set {
			continue
		}
		pi := q.scope[c.pool]
		if pi < 0 {
			continue
		}
		d.CandidatesTotal++
		why := NoReason // the filter pipeline (query.go)
		if !q.feasible(c, pi) {
			why = q.stages(t, i, c, pi)
		}
		out[i] = why
		if why != NoReason {
			d.Filtered[why]++
			continue
		}
		if least < 0 || p.lighter(t, i, least) {
			least = i
		}
		d.CandidatesFeasible++
		if best < 0 || p.above(t, i, best) {
			best = i
		}
	}
	if best < 0 {
		d.Reason = ReasonFor(d.Filtered)
		if d.Pinned && d.Reason == PoolUnready {
			return d, &Error{Code: CodePoolUnready, Pool: req.Pin, Msg: "no Ready replica"}
		}
		return d, nil
	}
	pick, scored := best, p.scores(req)
	if scored {
		p.match(req, t)
	}
	if sticky {
		// The session's replica, found by id; a repeated id is invalid, so
		// a feasible entry carrying last is the only one. Under prefix
		// scoring the imbalance guard applies to it too.
		j := t.find(last)
		switch {
		case j < 0 || out[j] != NoReason:
		case scored && p.imbalanced(t, j, least):
			d.Guarded = true
		default:
			pick, d.KVWarmth = j, true
		}
		d.Moved = !d.KVWarmth
	}
	if scored {
		if !d.KVWarmth {
			var guarded bool
			pick, guarded = p.prefer(req, t, out, best, least)
			d.Guarded = d.Guarded || guarded
		}
		d.MatchedBlocks = p.matched(t, pick)
		d.KVWarmth = d.KVWarmth || d.MatchedBlocks > 0
	}
	r := &t.reps[pick]
	d.Assigned, d.Index = true, pick
	d.ReplicaID, d.PoolID, d.ReplicaSet = r.ID, r.PoolID, r.ReplicaSet
	return d, nil
}

// lighter reports whether replica i is less loaded than replica j: fewer
// active slots, then the placement order.
func (p *Placer) lighter(t *Table, i, j int) bool {
	if a, b := t.recs[i].active, t.recs[j].active; a != b {
		return a < b
	}
	return p.above(t, i, j)
}

// scores reports whether req is placed by prefix score.
func (p *Placer) scores(req *Request) bool {
	return p.Policy.Prefix.Enabled && p.Prefix != nil && len(req.Blocks) > 0
}

// above reports whether replica i precedes replica j in the placement
// order (free_vram_mb desc, active_slots asc, replica_id asc;
// OC-CORE-1017); the ids are compared only on a tie.
func (p *Placer) above(t *Table, i, j int) bool {
	a, b := &t.recs[i], &t.recs[j]
	if a.free != b.free {
		return a.free > b.free
	}
	if a.active != b.active {
		return a.active < b.active
	}
	return t.reps[i].ID < t.reps[j].ID
}

func poolIndex(pools []Pool, id string) int {
	for i := range pools {
		if pools[i].ID == id {
			return i
		}
	}
	return -1
}
