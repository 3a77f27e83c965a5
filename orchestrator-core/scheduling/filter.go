package scheduling

// check runs the filter pipeline on one candidate and returns the first
// reason that rejects it, or NoReason when it is feasible. Stages run
// cheapest first; their order defines the Reason values.
func check(req *Request, r *Replica, p *Pool) Reason {
	switch {
	case !r.Ready: // OC-CORE-1010
		return PoolUnready
	case !insideMask(r.Devices, p.DeviceMask): // OC-CORE-1011
		return DeviceMaskMismatch
	case !sameModel(req, r): // OC-CORE-1016
		return EngineMismatch
	case !enoughCtx(req, r): // OC-CORE-1015, 1016
		return InsufficientCtx
	case !hasExtensions(req, r): // OC-CORE-1016
		return ExtensionsUnsatisfied
	case r.ActiveSlots >= r.SlotsTotal:
		return NoCapacity
	}
	return NoReason
}

func insideMask(devices, mask []int) bool {
	if len(mask) == 0 {
		return true // no mask configured: any device
	}
	for _, d := range devices {
		if !contains(mask, d) {
			return false
		}
	}
	return true
}

func sameModel(req *Request, r *Replica) bool {
	if req.Engine != "" && r.Engine != req.Engine {
		return false
	}
	if r.ModelID != req.ModelID {
		return false
	}
	if d, ok := req.ModelDigest.Get(); ok && r.ModelDigest != d {
		return false
	}
	if q, ok := req.Quant.Get(); ok && r.Quant != q {
		return false
	}
	return true
}

func enoughCtx(req *Request, r *Replica) bool {
	c, ok := req.CtxMax.Get()
	return !ok || r.CtxMaxSupported >= c
}

func hasExtensions(req *Request, r *Replica) bool {
	if s, ok := req.Streaming.Get(); ok && s && !contains(r.Features, FeatureStreaming) {
		return false
	}
	for _, e := range req.Extensions {
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
