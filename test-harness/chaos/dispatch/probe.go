package dispatch

import (
	"context"
	"time"

	"orchcore.dev/orchestrator-core/observe"
)

// probe polls one replica and records every change of its state.
func (d *Dispatcher) probe(ctx context.Context, s *rstate) {
	defer d.wg.Done()
	t := time.NewTicker(d.cfg.ProbeEvery)
	defer t.Stop()
	for {
		pctx, cancel := context.WithTimeout(ctx, d.cfg.ProbeTimeout)
		st, err := s.r.Probe.Probe(pctx)
		cancel()
		if ctx.Err() != nil {
			return
		}
		d.mu.Lock()
		before := s.obs
		switch {
		case err != nil:
			d.observeLocked(s, ObsDown, err.Error())
		case !st.Ready:
			d.merge(s, st)
			d.observeLocked(s, ObsNotReady, "health says not ready")
		default:
			d.merge(s, st)
			d.observeLocked(s, ObsReady, "health ok")
		}
		changed := before != s.obs
		sample := s.status
		slots := s.slots
		d.mu.Unlock()
		if d.cfg.Samples != nil && err == nil && st.Active >= 0 && slots > 0 {
			d.cfg.Samples.Observe(observe.Event{Kind: observe.Replica, ReplicaID: s.r.ID, PoolID: d.cfg.Pool.ID(),
				Engine: d.cfg.Engine, EngineVersion: sample.EngineVersion, ModelID: d.cfg.ModelID,
				Sample: &observe.Sample{GPUUtilization: float64(st.Active) / float64(slots), KVCacheUsage: float64(st.Active) / float64(slots)}})
		}
		if changed {
			d.Kick()
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// merge keeps what a probe learned about s.
func (d *Dispatcher) merge(s *rstate, st Status) {
	if st.Slots > 0 {
		s.slots = st.Slots
	}
	if st.EngineVersion != "" {
		s.status.EngineVersion = st.EngineVersion
	}
	if st.SamplerProfile != "" {
		s.status.SamplerProfile = st.SamplerProfile
	}
	if st.ModelDigest != "" {
		s.status.ModelDigest = st.ModelDigest
	}
	if st.CtxMax > 0 {
		s.status.CtxMax = st.CtxMax
	}
}
