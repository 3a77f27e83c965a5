package scheduling

// query is a Request compiled against a Table, once per decision: its
// strings become the table's symbols (a value the table never saw
// becomes none and matches nothing), its extensions a bit mask, and its
// scope a pool index per pool symbol. check then filters a replica with
// integer compares.
type query struct {
	scope []int32 // by pool symbol: the first scope pool with that id, or -1
	masks []dmask // by scope index
	pools []Pool  // the scope

	set                          uint32
	engine, model, digest, quant uint32
	wantSet, anyEngine           bool
	hasDigest, hasQuant, hasCtx  bool
	ctx                          int
	feat                         uint64 // required features (symbols below 64)
	featSlow                     bool   // a required feature's symbol is 64 or more
	featNever                    bool   // a required feature no replica has
	streaming                    bool
	exts                         []string
	sat                          Saturation
}

// dmask is a pool's device mask as bits 0..63; any when the mask is empty.
type dmask struct {
	bits uint64
	any  bool
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
		q.masks = make([]dmask, len(scope))
	}
	q.masks = q.masks[:len(scope)]
	q.pools = scope
	for k := range scope {
		if s := t.pool.find(scope[k].ID); s != none && q.scope[s] < 0 {
			q.scope[s] = int32(k)
		}
		m := dmask{any: len(scope[k].DeviceMask) == 0}
		for _, d := range scope[k].DeviceMask {
			if d >= 0 && d < 64 {
				m.bits |= 1 << d
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
}

func (q *query) need(t *Table, f string) {
	switch x := t.feat.find(f); {
	case x == none:
		q.featNever = true
	case x >= 64:
		q.featSlow = true
	default:
		q.feat |= 1 << x
	}
}

// check runs the filter pipeline on replica i (record c, in scope pool
// pi) and returns the first reason that rejects it, or NoReason when it
// is feasible. Stages run in pipeline order; that order defines the
// Reason values.
func (q *query) check(t *Table, i int, c *rec, pi int32) Reason {
	switch {
	case c.flags&fInvalid != 0:
		return ReplicaInvalid
	case c.flags&fReady == 0: // OC-CORE-1010
		return PoolUnready
	case !q.inside(t, i, c, pi): // OC-CORE-1011
		return DeviceMaskMismatch
	case !q.sameModel(c): // OC-CORE-1016
		return EngineMismatch
	case q.hasCtx && c.ctx < q.ctx: // OC-CORE-1015, 1016
		return InsufficientCtx
	case !q.features(t, i, c): // OC-CORE-1016
		return ExtensionsUnsatisfied
	case c.flags&fFull != 0:
		return NoCapacity
	case q.saturated(c): // OC-CORE-1056
		return Saturated
	}
	return NoReason
}

// inside: every device in the pool's mask (see [insideMask]); a device
// number of 64 or more is checked on the lists.
func (q *query) inside(t *Table, i int, c *rec, pi int32) bool {
	m := &q.masks[pi]
	switch {
	case m.any:
		return true
	case c.flags&fNoDev != 0:
		return false
	case c.flags&fBigDev != 0:
		return insideMask(t.reps[i].Devices, q.pools[pi].DeviceMask)
	}
	return c.dev&^m.bits == 0
}

func (q *query) sameModel(c *rec) bool {
	return (q.anyEngine || c.engine == q.engine) && c.model == q.model &&
		(!q.hasDigest || c.digest == q.digest) && (!q.hasQuant || c.quant == q.quant)
}

// features: every required feature; when one's symbol is past the bit
// mask, the replica's list is searched.
func (q *query) features(t *Table, i int, c *rec) bool {
	switch {
	case q.featNever:
		return false
	case q.featSlow:
		return hasFeatures(t.reps[i].Features, q.streaming, q.exts)
	}
	return c.feat&q.feat == q.feat
}

// saturated reports a replica above a load threshold, with a stale or
// missing sample under a maximum age, or whose sample is impossible (KV
// utilization outside 0..1000 per mille, a negative queue depth or age),
// which is taken as saturated whatever the thresholds.
func (q *query) saturated(c *rec) bool {
	s := &q.sat
	sampled := c.flags&fSampled != 0
	if c.flags&fImpossible != 0 {
		return true
	}
	if s.MaxSampleAgeMs > 0 && (!sampled || c.age > s.MaxSampleAgeMs) {
		return true
	}
	return sampled && ((s.MaxQueueDepth > 0 && c.queue > s.MaxQueueDepth) ||
		(s.MaxKVPermille > 0 && c.kv > s.MaxKVPermille))
}
