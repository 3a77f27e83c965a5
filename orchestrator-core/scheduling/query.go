package scheduling

import "math"

// query is a Request compiled against a Table, once per decision: its
// strings become the table's symbols (a value the table never saw
// becomes none and matches nothing), its extensions a bit mask, and its
// scope a pool index per pool symbol. check then filters a replica with
// integer compares.
type query struct {
	scope []int32  // by pool symbol: the first scope pool with that id, or -1
	masks []uint64 // by scope index: the device mask's bits 0..63, all set when empty
	pools []Pool   // the scope

	set                          uint32
	engine, model, digest, quant uint32
	wantSet, anyEngine           bool
	hasDigest, hasQuant, hasCtx  bool
	ctx                          int
	feat                         uint64 // required features (symbols below 64)
	featSlow                     bool   // featNever, or a required feature's symbol is 64 or more
	featNever                    bool   // a required feature no replica has
	streaming                    bool
	exts                         []string
	sat                          Saturation
	gated                        bool // a saturation threshold is on

	// The fast path: a record is feasible when
	// flags&flagMask == fReady, its devices are inside the mask,
	// (key^key)&keyMask == 0, ctx >= minCtx and feat&feat == feat.
	flagMask     uint16
	key, keyMask uint64
	minCtx       int
}

func (q *query) compile(req *Request, t *Table, scope []Pool, sat Saturation) {
	np := len(t.pool.vals)
	if cap(q.scope) < np {
		q.scope = make([]int32, np)
	}
	q.scope = q.scope[:np]
	for i := range q.scope {
		q.scope[i] = -1
	}
	if cap(q.masks) < len(scope) {
		q.masks = make([]uint64, len(scope))
	}
	q.masks = q.masks[:len(scope)]
	q.pools = scope
	for k := range scope {
		if s := t.pool.find(scope[k].ID); s != none && q.scope[s] < 0 {
			q.scope[s] = int32(k)
		}
		m := uint64(0)
		if len(scope[k].DeviceMask) == 0 {
			m = ^m
		}
		for _, d := range scope[k].DeviceMask {
			if d >= 0 && d < 64 {
				m |= 1 << d
			}
		}
		q.masks[k] = m
	}

	q.wantSet = req.ReplicaSet != ""
	q.set = t.set.find(req.ReplicaSet)
	q.anyEngine = req.Engine == ""
	q.engine = t.engine.find(req.Engine)
	q.model = t.model.find(req.ModelID)
	var v string
	v, q.hasDigest = req.ModelDigest.Get()
	q.digest = t.digest.find(v)
	v, q.hasQuant = req.Quant.Get()
	q.quant = t.quant.find(v)
	q.ctx, q.hasCtx = req.CtxMax.Get()
	s, ok := req.Streaming.Get()
	q.streaming, q.exts = ok && s, req.Extensions
	q.feat, q.featSlow, q.featNever = 0, false, false
	if q.streaming {
		q.need(t, FeatureStreaming)
	}
	for _, e := range req.Extensions {
		q.need(t, e)
	}
	q.sat = sat
	q.gated = sat.MaxSampleAgeMs != 0 || sat.MaxQueueDepth != 0 || sat.MaxKVPermille != 0
	q.fast()
}

// fast sets up the fast path. A request value the table never saw, a
// required feature past the bit mask or a saturation threshold sends
// every record to the stage-by-stage check (fAlways in flagMask).
func (q *query) fast() {
	q.flagMask = fInvalid | fReady | fNoDev | fBigDev | fFull | fImpossible | fWideKey
	m := modelSyms{engine: q.engine, model: q.model, digest: q.digest, quant: q.quant}
	lanes := [4]bool{!q.anyEngine, true, q.hasDigest, q.hasQuant}
	vals := [4]uint32{m.engine, m.model, m.digest, m.quant}
	q.key, q.keyMask = 0, 0
	for k, on := range lanes {
		if !on {
			continue
		}
		if vals[k] > keyLane { // none, or too large for the key
			q.flagMask |= fAlways
		}
		q.key |= uint64(vals[k]&0xffff) << (16 * k)
		q.keyMask |= 0xffff << (16 * k)
	}
	if q.featSlow || q.gated {
		q.flagMask |= fAlways
	}
	q.minCtx = math.MinInt
	if q.hasCtx {
		q.minCtx = q.ctx
	}
}

func (q *query) need(t *Table, f string) {
	switch x := t.feat.find(f); {
	case x == none:
		q.featNever, q.featSlow = true, true
	case x >= 64:
		q.featSlow = true
	default:
		q.feat |= 1 << x
	}
}

// The filter pipeline on replica i (record c, in scope pool pi) is
//
//	why := NoReason
//	if !q.feasible(c, pi) {
//		why = q.stages(t, i, c, pi)
//	}
//
// written out where it runs so that the fast path inlines: feasible
// decides the common case, a feasible replica, in a few integer compares;
// stages runs the stages in pipeline order (their order defines the
// Reason values) and returns the first reason that rejects the replica,
// or NoReason.

// feasible is the fast path: true only for a feasible replica. It is
// false for every replica when the request needs the stage-by-stage
// check (see fast).
func (q *query) feasible(c *rec, pi int32) bool {
	return c.flags&q.flagMask == fReady && c.dev&^q.masks[pi] == 0 && (c.key^q.key)&q.keyMask == 0 &&
		c.ctx >= q.minCtx && c.feat&q.feat == q.feat
}

// stages is the pipeline one stage at a time.
func (q *query) stages(t *Table, i int, c *rec, pi int32) Reason {
	switch {
	case c.flags&fInvalid != 0:
		return ReplicaInvalid
	case c.flags&fReady == 0: // OC-CORE-1010
		return PoolUnready
	case !q.inside(t, i, c, pi): // OC-CORE-1011
		return DeviceMaskMismatch
	case !q.sameModel(&t.syms[i]): // OC-CORE-1016
		return EngineMismatch
	case q.hasCtx && c.ctx < q.ctx: // OC-CORE-1015, 1016
		return InsufficientCtx
	case !q.features(t, i, c): // OC-CORE-1016
		return ExtensionsUnsatisfied
	case c.flags&fFull != 0:
		return NoCapacity
	case q.saturated(t, i, c): // OC-CORE-1056
		return Saturated
	}
	return NoReason
}

// inside: every device in the pool's mask (see [insideMask]). The bits
// of an empty mask are all set; a replica without devices, or with a
// device number of 64 or more, is checked on the lists.
func (q *query) inside(t *Table, i int, c *rec, pi int32) bool {
	if c.flags&(fNoDev|fBigDev) == 0 {
		return c.dev&^q.masks[pi] == 0
	}
	return q.insideList(t, i, pi)
}

// insideList is the rare case of inside, kept out of line so that the
// common case inlines.
//
//go:noinline
func (q *query) insideList(t *Table, i int, pi int32) bool {
	return insideMask(t.reps[i].Devices, q.pools[pi].DeviceMask)
}

func (q *query) sameModel(c *modelSyms) bool {
	return (q.anyEngine || c.engine == q.engine) && c.model == q.model &&
		(!q.hasDigest || c.digest == q.digest) && (!q.hasQuant || c.quant == q.quant)
}

// features: every required feature. When one has no symbol, or one
// past the bit mask, the replica's list is searched (featSlow).
func (q *query) features(t *Table, i int, c *rec) bool {
	if !q.featSlow {
		return c.feat&q.feat == q.feat
	}
	return !q.featNever && q.featureList(t, i)
}

// featureList is the rare case of features, out of line.
//
//go:noinline
func (q *query) featureList(t *Table, i int) bool {
	return hasFeatures(t.reps[i].Features, q.streaming, q.exts)
}

// saturated reports a replica above a load threshold, with a stale or
// missing sample under a maximum age, or whose sample is impossible (KV
// utilization outside 0..1000 per mille, a negative queue depth or age),
// which is taken as saturated whatever the thresholds.
func (q *query) saturated(t *Table, i int, c *rec) bool {
	return c.flags&fImpossible != 0 || q.gated && q.above(t, i, c)
}

// above reports a load sample over a threshold, or stale or missing under
// a maximum age; out of line.
//
//go:noinline
func (q *query) above(t *Table, i int, c *rec) bool {
	s := &q.sat
	sampled, l := c.flags&fSampled != 0, &t.loads[i]
	if s.MaxSampleAgeMs > 0 && (!sampled || l.age > s.MaxSampleAgeMs) {
		return true
	}
	return sampled && ((s.MaxQueueDepth > 0 && l.queue > s.MaxQueueDepth) ||
		(s.MaxKVPermille > 0 && l.kv > s.MaxKVPermille))
}
