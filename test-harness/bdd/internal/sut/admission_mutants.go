package sut

import (
	"sync"

	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/fairness"
	"orchcore.dev/orchestrator-core/queue"
	"orchcore.dev/orchestrator-core/scheduling"
)

// LateExpiry is a broken core that expires a task one millisecond after
// its deadline, as a < written for <= would (it breaks OC-CORE-1050): its
// Next and Tick read a clock one millisecond behind the scenario's.
func LateExpiry() System {
	return mutant{name: "late-expiry",
		edit: func(cfg *core.Config) { cfg.Clock = &lagging{c: cfg.Clock} },
		wrap: func(p Pool, cfg core.Config) Pool {
			lc, _ := cfg.Clock.(*lagging)
			return &late{Pool: p, clock: lc}
		}}
}

// lagging reads one millisecond behind c while lag is set.
type lagging struct {
	c   core.Clock
	mu  sync.Mutex
	lag bool
}

func (l *lagging) Now() int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.lag {
		return l.c.Now() - 1
	}
	return l.c.Now()
}

func (l *lagging) set(on bool) {
	l.mu.Lock()
	l.lag = on
	l.mu.Unlock()
}

type late struct {
	Pool
	clock *lagging
}

func (p *late) Next(snap scheduling.Snapshot) (core.Dispatch, bool) {
	p.clock.set(true)
	defer p.clock.set(false)
	return p.Pool.Next(snap)
}

func (p *late) Tick() []core.Expiry {
	p.clock.set(true)
	defer p.clock.set(false)
	return p.Pool.Tick()
}

// CountsOnly is a broken core that ignores token capacities and bounds
// only task counts (it breaks OC-CORE-1051): the pool is built with every
// token capacity removed.
func CountsOnly() System {
	return mutant{name: "counts-only", edit: func(cfg *core.Config) {
		cfg.CapacityTokens = 0
		cfg.Classes = append([]queue.Class(nil), cfg.Classes...)
		for i := range cfg.Classes {
			cfg.Classes[i].CapacityTokens = 0
		}
	}}
}

// DispatchShares is a broken core whose weighted-tokens policy shares
// dispatches instead of tokens (it breaks OC-CORE-1052): the pool is
// built with the weighted policy.
func DispatchShares() System {
	return mutant{name: "dispatch-shares", edit: func(cfg *core.Config) {
		if cfg.Fairness == fairness.KindTokens {
			cfg.Fairness = fairness.KindWeighted
		}
	}}
}

// TenantOrderIgnored is a broken core whose round-robin classes keep
// arrival order across tenants (it breaks OC-CORE-1053).
func TenantOrderIgnored() System {
	return mutant{name: "tenant-order-ignored", edit: func(cfg *core.Config) {
		cfg.Classes = append([]queue.Class(nil), cfg.Classes...)
		for i := range cfg.Classes {
			cfg.Classes[i].TenantOrder = queue.TenantFIFO
		}
	}}
}

// NeverForgets is a broken core whose session tables grow without bound
// (it breaks OC-CORE-1054): the pool is built with a bound larger than any
// scenario.
func NeverForgets() System {
	return mutant{name: "never-forgets", edit: func(cfg *core.Config) { cfg.Bounds.Sessions = 1 << 30 }}
}

// PolarityIgnored is a broken core that always hands out lower_first
// priorities (it breaks OC-CORE-1058): the pool is built without the
// configured polarity.
func PolarityIgnored() System {
	return mutant{name: "polarity-ignored", edit: func(cfg *core.Config) { cfg.EnginePriority = core.LowerFirst }}
}

// SaturationIgnored is a broken core that places on saturated replicas
// (it breaks OC-CORE-1056): the pool is built without load thresholds,
// and its placement sees every load sample as fresh and possible.
func SaturationIgnored() System {
	return mutant{name: "saturation-ignored",
		edit: func(cfg *core.Config) { cfg.Placement.Saturation = scheduling.Saturation{} },
		wrap: seeing(func(r *scheduling.Replica) { r.Sampled = false })}
}

// GuardIgnored is a broken core whose imbalance guard never acts (it
// breaks OC-CORE-1055): its absolute threshold is beyond any load.
func GuardIgnored() System {
	return mutant{name: "guard-ignored", edit: func(cfg *core.Config) { cfg.Placement.Prefix.GuardSlots = 1 << 40 }}
}

// NeverEvicts is a broken core whose prefix index never evicts a learned
// block (it breaks OC-CORE-1055): its bound per replica is beyond any
// scenario.
func NeverEvicts() System {
	return mutant{name: "never-evicts", edit: func(cfg *core.Config) { cfg.Placement.Prefix.BlocksPerReplica = 1 << 30 }}
}

// PreemptEqualRank is a broken core whose preemption picks its victim
// with rank <= instead of < (it breaks OC-CORE-1057). It is emulated
// around the real core: when Next leaves a head unplaced for NO_CAPACITY
// or SATURATED without preempting, the newest in-flight job of the head's
// own class (equal rank) is aborted and reported as preempted for it.
func PreemptEqualRank() System {
	return mutant{name: "preempt-equal-rank", wrap: func(p Pool, _ core.Config) Pool {
		return &equalRank{Pool: p, class: map[string]string{}}
	}}
}

type equalRank struct {
	Pool
	mu    sync.Mutex
	class map[string]string // task id -> class
	jobs  []core.Job        // placed jobs, in order
}

func (p *equalRank) Admit(t core.Task) (core.Admission, error) {
	p.mu.Lock()
	p.class[t.ID] = t.Class
	p.mu.Unlock()
	return p.Pool.Admit(t)
}

func (p *equalRank) Next(snap scheduling.Snapshot) (core.Dispatch, bool) {
	d, ok := p.Pool.Next(snap)
	p.mu.Lock()
	defer p.mu.Unlock()
	if ok {
		p.jobs = append(p.jobs, d.Job)
		return d, ok
	}
	if d.Outcome != core.Unplaced || (d.Reason != scheduling.CodeNoCapacity && d.Reason != scheduling.CodeSaturated) {
		return d, ok
	}
	var v *core.Job
	for i := range p.jobs {
		j := &p.jobs[i]
		if st, _ := p.Pool.State(j.Task.ID); st != core.Dispatched || j.Task.Class != p.class[d.TaskID] {
			continue
		}
		if v == nil || j.DispatchedAt > v.DispatchedAt || j.DispatchedAt == v.DispatchedAt && j.ID > v.ID {
			v = j
		}
	}
	if v == nil {
		return d, ok
	}
	if _, err := p.Pool.Cancel(v.Task.ID); err != nil {
		return d, ok
	}
	return core.Dispatch{Outcome: core.Preempted, TaskID: v.Task.ID, Job: *v, Head: d.TaskID,
		Decision: d.Decision, Reason: d.Reason}, false
}
