package scheduling

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

// insideMask reports whether every device lies in mask. An empty mask
// allows anything; under a non-empty mask a replica that reports no
// devices cannot be shown to be inside it, so it is outside.
func insideMask(devices, mask []int) bool {
	if len(mask) == 0 {
		return true // no mask configured: any device
	}
	if len(devices) == 0 {
		return false
	}
	for _, d := range devices {
		if !contains(mask, d) {
			return false
		}
	}
	return true
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

func contains[T comparable](s []T, v T) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
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
