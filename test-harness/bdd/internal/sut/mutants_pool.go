package sut

import (
	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/determinism"
	"orchcore.dev/orchestrator-core/fairness"
	"orchcore.dev/orchestrator-core/queue"
)

// DropNewest is a broken core whose drop-lru policy evicts the newest
// task of a full class instead of the oldest (it breaks OC-CORE-1002).
type DropNewest struct{ Real }

// Name returns "drop-newest".
func (DropNewest) Name() string { return "drop-newest" }

// NewPool wraps the real pool: before admitting into a full class under
// drop-lru, it cancels that class's newest task and reports it evicted.
func (m DropNewest) NewPool(cfg core.Config) (Pool, error) {
	p, err := m.Real.NewPool(cfg)
	if err != nil || cfg.Admission != queue.DropLRU {
		return p, err
	}
	caps := map[string]int{}
	for _, c := range cfg.Classes {
		caps[c.Name] = c.Capacity
	}
	return dropNewest{p, caps}, nil
}

type dropNewest struct {
	Pool
	caps map[string]int
}

func (d dropNewest) Admit(t core.Task) (core.Admission, error) {
	q := d.Queue(t.Class)
	if len(q) == 0 || len(q) < d.caps[t.Class] {
		return d.Pool.Admit(t)
	}
	newest := q[len(q)-1]
	if _, err := d.Cancel(newest); err != nil {
		return core.Admission{}, err
	}
	adm, err := d.Pool.Admit(t)
	if err == nil {
		adm.Evicted, adm.Reason = newest, "QUEUE_FULL_DROP_LRU"
	}
	return adm, err
}

// LostCancel is a broken core whose Cancel of a queued task answers
// success but leaves the task queued (it breaks OC-CORE-1005).
type LostCancel struct{ Real }

// Name returns "lost-cancel".
func (LostCancel) Name() string { return "lost-cancel" }

// NewPool wraps the real pool with the lost cancel.
func (m LostCancel) NewPool(cfg core.Config) (Pool, error) {
	p, err := m.Real.NewPool(cfg)
	if err != nil {
		return nil, err
	}
	return lostCancel{p}, nil
}

type lostCancel struct{ Pool }

func (l lostCancel) Cancel(id string) (core.CancelResult, error) {
	if st, ok := l.State(id); ok && st == core.Queued {
		return core.CanceledQueued, nil
	}
	return l.Pool.Cancel(id)
}

// AlwaysStrict is a broken core that ignores the configured fairness
// policy and always serves the highest rank (it breaks OC-CORE-1006).
type AlwaysStrict struct{ Real }

// Name returns "always-strict".
func (AlwaysStrict) Name() string { return "always-strict" }

// NewPool builds the real pool with the strict policy.
func (m AlwaysStrict) NewPool(cfg core.Config) (Pool, error) {
	cfg.Fairness = fairness.KindStrict
	return m.Real.NewPool(cfg)
}

// DropsClientSeed is a broken core that ignores the client's seed and
// always assigns one (it breaks OC-CORE-1034).
type DropsClientSeed struct{ Real }

// Name returns "drops-client-seed".
func (DropsClientSeed) Name() string { return "drops-client-seed" }

// Seed applies the policy as if no seed had been given.
func (m DropsClientSeed) Seed(_ uint64, _ bool, pool, task string) determinism.Seed {
	return m.Real.Seed(0, false, pool, task)
}
