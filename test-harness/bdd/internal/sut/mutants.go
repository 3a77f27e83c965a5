package sut

import (
	"slices"
	"sync"

	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/fairness"
	"orchcore.dev/orchestrator-core/queue"
	"orchcore.dev/orchestrator-core/scheduling"
)

// IgnoresReady is a broken core whose placement treats every replica as
// Ready (it breaks OC-CORE-1010).
func IgnoresReady() System {
	return mutant{name: "ignores-ready", wrap: seeing(func(r *scheduling.Replica) { r.Ready = true })}
}

// LeastVRAM is a broken core that prefers the replica with the least free
// VRAM (it breaks OC-CORE-1012 and 1017): its placement sees free VRAM
// negated.
func LeastVRAM() System {
	return mutant{name: "least-vram", wrap: seeing(func(r *scheduling.Replica) { r.FreeVRAMMB = -r.FreeVRAMMB })}
}

// seeing returns a wrapper whose Next shows the pool a copy of the
// snapshot with every replica changed by edit.
func seeing(edit func(*scheduling.Replica)) func(Pool, core.Config) Pool {
	return func(p Pool, _ core.Config) Pool { return rewrite{p, edit} }
}

type rewrite struct {
	Pool
	edit func(*scheduling.Replica)
}

func (p rewrite) Next(snap scheduling.Snapshot) (core.Dispatch, bool) {
	snap.Replicas = slices.Clone(snap.Replicas)
	for i := range snap.Replicas {
		p.edit(&snap.Replicas[i])
	}
	return p.Pool.Next(snap)
}

// LowestRankFirst is a broken core that serves the lowest-ranked class
// first: the pool is built with the class ranks reversed (it breaks
// OC-CORE-1004, and shed-low-priority's protection of OC-CORE-1002).
func LowestRankFirst() System {
	return mutant{name: "lowest-rank-first", edit: func(cfg *core.Config) {
		if len(cfg.Classes) == 0 {
			return
		}
		cfg.Classes = slices.Clone(cfg.Classes)
		lo, hi := cfg.Classes[0].Rank, cfg.Classes[0].Rank
		for _, c := range cfg.Classes {
			lo, hi = min(lo, c.Rank), max(hi, c.Rank)
		}
		for i := range cfg.Classes {
			cfg.Classes[i].Rank = lo + hi - cfg.Classes[i].Rank
		}
	}}
}

// AlwaysStrict is a broken core that ignores the configured fairness
// policy and always serves the highest rank (it breaks OC-CORE-1006).
func AlwaysStrict() System {
	return mutant{name: "always-strict", edit: func(cfg *core.Config) { cfg.Fairness = fairness.KindStrict }}
}

// DropNewest is a broken core whose drop-lru policy evicts the newest
// task of a full class instead of the oldest (it breaks OC-CORE-1002):
// before admitting into a full class under drop-lru it cancels that
// class's newest task and reports it evicted.
func DropNewest() System {
	return mutant{name: "drop-newest", wrap: func(p Pool, cfg core.Config) Pool {
		if cfg.Admission != queue.DropLRU {
			return p
		}
		caps := map[string]int{}
		for _, c := range cfg.Classes {
			caps[c.Name] = c.Capacity
		}
		return dropNewest{p, caps}
	}}
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
		adm.Evicted, adm.Reason = []string{newest}, "QUEUE_FULL_DROP_LRU"
	}
	return adm, err
}

// LostCancel is a broken core whose Cancel of a queued task answers
// success but leaves the task queued (it breaks OC-CORE-1005).
func LostCancel() System {
	return mutant{name: "lost-cancel", wrap: func(p Pool, _ core.Config) Pool { return lostCancel{p} }}
}

type lostCancel struct{ Pool }

func (l lostCancel) Cancel(id string) (core.CancelResult, error) {
	if st, ok := l.State(id); ok && st == core.Queued {
		return core.CanceledQueued, nil
	}
	return l.Pool.Cancel(id)
}

// DropsClientSeed is a broken core that ignores the client's seed, so
// the pool assigns one to every task (it breaks OC-CORE-1034).
func DropsClientSeed() System {
	return mutant{name: "drops-client-seed", wrap: func(p Pool, _ core.Config) Pool { return dropSeed{p} }}
}

type dropSeed struct{ Pool }

func (d dropSeed) Admit(t core.Task) (core.Admission, error) {
	t.Seed, t.HasSeed = 0, false
	return d.Pool.Admit(t)
}

// PinFallback is a broken core that falls back silently when a pinned
// pool has no Ready replica: the task goes to the best Ready replica of
// the other pools instead of being refused with POOL_UNREADY (it breaks
// OC-CORE-1019). The wrapper remembers the pools that admitted tasks
// pin; when one of them has no Ready replica in a snapshot, it shows the
// pool the other pools' Ready replicas as members of the pinned pool
// (outside any device mask).
func PinFallback() System {
	return mutant{name: "pin-fallback", wrap: func(p Pool, _ core.Config) Pool {
		return &pinFallback{Pool: p, pins: map[string]bool{}}
	}}
}

type pinFallback struct {
	Pool
	mu   sync.Mutex
	pins map[string]bool
}

func (f *pinFallback) Admit(t core.Task) (core.Admission, error) {
	if t.Pin != "" {
		f.mu.Lock()
		f.pins[t.Pin] = true
		f.mu.Unlock()
	}
	return f.Pool.Admit(t)
}

func (f *pinFallback) Next(snap scheduling.Snapshot) (core.Dispatch, bool) {
	f.mu.Lock()
	var pins []string
	for p := range f.pins {
		pins = append(pins, p)
	}
	f.mu.Unlock()
	slices.Sort(pins)
	for _, pin := range pins {
		if slices.ContainsFunc(snap.Replicas, func(r scheduling.Replica) bool { return r.PoolID == pin && r.Ready }) {
			continue
		}
		var elsewhere []scheduling.Replica
		for _, r := range snap.Replicas {
			if r.PoolID != pin && r.Ready {
				// A copy under an id of its own: the core filters entries
				// that repeat an id (REPLICA_INVALID), so a copy with the
				// same id would not fall back at all.
				r.ID, r.PoolID, r.Devices = r.ID+"~"+pin, pin, nil
				elsewhere = append(elsewhere, r)
			}
		}
		snap.Replicas = append(slices.Clone(snap.Replicas), elsewhere...)
	}
	return f.Pool.Next(snap)
}

// CrossSetRetry is a broken core whose retries may land in another
// replica set (it breaks OC-CORE-1031): while a failed job waits for its
// retry, the wrapper shows the pool every replica of the snapshot as a
// member of the failed job's set, with that set's versions.
func CrossSetRetry() System {
	return mutant{name: "cross-set-retry", wrap: func(p Pool, _ core.Config) Pool {
		return &crossSet{Pool: p, ran: map[string]scheduling.Replica{}, retry: map[string]scheduling.Replica{}}
	}}
}

type crossSet struct {
	Pool
	mu sync.Mutex
	// ran is the replica each dispatched task runs on, as the snapshot
	// showed it; retry the same for the tasks waiting for a retry.
	ran, retry map[string]scheduling.Replica
}

func (c *crossSet) Next(snap scheduling.Snapshot) (core.Dispatch, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.retry) > 0 {
		ids := make([]string, 0, len(c.retry))
		for id := range c.retry {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		set := c.retry[ids[0]]
		snap.Replicas = slices.Clone(snap.Replicas)
		for i := range snap.Replicas {
			r := &snap.Replicas[i]
			r.ReplicaSet, r.Engine, r.EngineVersion = set.ReplicaSet, set.Engine, set.EngineVersion
			r.SamplerProfileVersion, r.ModelDigest = set.SamplerProfileVersion, set.ModelDigest
		}
	}
	d, ok := c.Pool.Next(snap)
	if ok {
		delete(c.retry, d.TaskID)
		if i := d.Decision.Index; i >= 0 && i < len(snap.Replicas) {
			c.ran[d.TaskID] = snap.Replicas[i]
		}
	}
	return d, ok
}

func (c *crossSet) Fail(id, cause string) error {
	err := c.Pool.Fail(id, cause)
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, _ := c.State(id); err == nil && st == core.Retrying {
		c.retry[id] = c.ran[id]
	}
	return err
}
