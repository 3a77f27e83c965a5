package sut

import (
	"slices"

	core "orchcore.dev/orchestrator-core"

	"orchcore.dev/orchestrator-core/scheduling"
)

// IgnoresReady is a broken core whose placement treats every replica as
// Ready (it breaks OC-CORE-1010).
type IgnoresReady struct{ Real }

// Name returns "ignores-ready".
func (IgnoresReady) Name() string { return "ignores-ready" }

// NewPlacer returns a placer that marks every replica Ready before placing.
func (m IgnoresReady) NewPlacer(pol scheduling.Policy, aff *scheduling.Affinity) Placer {
	return rewrite{m.Real.NewPlacer(pol, aff), func(r *scheduling.Replica) { r.Ready = true }}
}

// LeastVRAM is a broken core that prefers the replica with the least free
// VRAM (it breaks OC-CORE-1012 and 1017).
type LeastVRAM struct{ Real }

// Name returns "least-vram".
func (LeastVRAM) Name() string { return "least-vram" }

// NewPlacer returns a placer that sees free VRAM negated.
func (m LeastVRAM) NewPlacer(pol scheduling.Policy, aff *scheduling.Affinity) Placer {
	return rewrite{m.Real.NewPlacer(pol, aff), func(r *scheduling.Replica) { r.FreeVRAMMB = -r.FreeVRAMMB }}
}

// rewrite shows the inner placer a copy of the snapshot with every replica
// changed by edit.
type rewrite struct {
	inner Placer
	edit  func(*scheduling.Replica)
}

func (p rewrite) Place(req *scheduling.Request, snap scheduling.Snapshot) (scheduling.Decision, error) {
	snap.Replicas = slices.Clone(snap.Replicas)
	for i := range snap.Replicas {
		p.edit(&snap.Replicas[i])
	}
	return p.inner.Place(req, snap)
}

// LowestRankFirst is a broken core whose pool serves the lowest-ranked
// class first: it builds the real pool with the class ranks reversed (it
// breaks OC-CORE-1004, and shed-low-priority's protection of OC-CORE-1002).
type LowestRankFirst struct{ Real }

// Name returns "lowest-rank-first".
func (LowestRankFirst) Name() string { return "lowest-rank-first" }

// NewPool reverses the ranks, keeping them distinct and positive.
func (m LowestRankFirst) NewPool(cfg core.Config) (Pool, error) {
	if len(cfg.Classes) == 0 {
		return m.Real.NewPool(cfg)
	}
	cfg.Classes = slices.Clone(cfg.Classes)
	lo, hi := cfg.Classes[0].Rank, cfg.Classes[0].Rank
	for _, c := range cfg.Classes {
		lo, hi = min(lo, c.Rank), max(hi, c.Rank)
	}
	for i := range cfg.Classes {
		cfg.Classes[i].Rank = lo + hi - cfg.Classes[i].Rank
	}
	return m.Real.NewPool(cfg)
}
