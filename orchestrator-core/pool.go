package core

import (
	"sync"

	"orchcore.dev/orchestrator-core/backoff"
	"orchcore.dev/orchestrator-core/determinism"
	"orchcore.dev/orchestrator-core/fairness"
	"orchcore.dev/orchestrator-core/guardrails"
	"orchcore.dev/orchestrator-core/internal/churn"
	"orchcore.dev/orchestrator-core/internal/lru"
	"orchcore.dev/orchestrator-core/observe"
	"orchcore.dev/orchestrator-core/queue"
	"orchcore.dev/orchestrator-core/scheduling"
	"orchcore.dev/orchestrator-core/watchdog"
)

// Config configures a Pool. Zero values of optional fields are defaults.
type Config struct {
	// ID is the pool id reported in every event and the key of the seed
	// rule.
	ID string
	// Classes are the priority classes; required.
	Classes []queue.Class
	// Capacity bounds the total queued tasks; 0 means only the class
	// capacities bound it.
	Capacity int
	// CapacityTokens bounds the summed token cost (prompt plus max new
	// tokens) of all queued tasks; 0 means no pool token bound
	// (OC-CORE-1051). Classes may bound theirs too.
	CapacityTokens int64
	Admission      queue.Policy
	// Fairness is the class selection policy; empty means weighted.
	Fairness fairness.Kind
	Quotas   []queue.Quota
	// Limits are the per-request guardrails. A task whose Model has a
	// CtxMax is checked against that instead of Limits.CtxMax.
	Limits guardrails.Limits
	// Budget, when not nil, is every session's budget (OC-CORE-1023).
	Budget *guardrails.Budget
	// Watchdog are the wall and idle timeouts of jobs; zero disables.
	Watchdog watchdog.Limits
	// Retry is the backoff after a replica failure; the zero value
	// allows no retry.
	Retry backoff.Config
	// Placement holds the placement switches: AllowPin, saturation
	// thresholds, prefix scoring (an enabled prefix policy's zero fields
	// take their defaults).
	Placement scheduling.Policy
	// Preemption bounds the preemption of lower-ranked jobs for a head
	// blocked by capacity (OC-CORE-1057); the zero value is off.
	Preemption Preemption
	// EnginePriority is the polarity of the priority the pool's engine
	// expects (OC-CORE-1058); empty means lower_first.
	EnginePriority Polarity
	// Pools are the pools (device masks) used when a snapshot lists
	// none: the entry with the pool's own ID is the scope of unpinned
	// tasks, the others are pin targets only. Empty means the pool's own
	// id with no device mask.
	Pools []scheduling.Pool
	// ReplicaSets, when not nil, holds the declared replica sets; the
	// pool registers every replica it sees there. Nil means a fresh
	// registry. The pool owns it afterwards.
	ReplicaSets *determinism.Registry
	// Observer receives every lifecycle event; nil means observe.Nop.
	Observer observe.Observer
	// Clock is the time source; nil means a ManualClock stuck at 0.
	Clock Clock
	// Bounds bound the pool's per-session and per-replica tables
	// (OC-CORE-1054); zero fields take the defaults.
	Bounds Bounds
	// Remember is how many ended tasks the pool remembers so that a
	// repeated Cancel is answered with AlreadyEnded and a reused id is
	// refused; 0 means 4096, at most MaxRemember.
	Remember int
}

// Bounds are the sizes of a pool's tables that would otherwise grow with
// every session and replica it has seen (OC-CORE-1054). Each evicts its
// least recently used idle entry when full; per-tenant counts need no
// bound, since they hold only tenants with queued or in-flight tasks.
type Bounds struct {
	// Sessions bounds the idle session budget accounts and, separately,
	// the session affinity table; 0 means DefaultSessions.
	Sessions int
	// Replicas bounds the replicas remembered as registered in a replica
	// set (least recently seen in a snapshot evicted; it registers anew
	// when seen again); it must be at least the largest snapshot. 0 means
	// DefaultReplicas.
	Replicas int
	// Sets bounds the idle replica sets kept pinned (sets with a member,
	// a declared set, or one a task may still run in are never evicted);
	// 0 means DefaultSets. Ignored when Config.ReplicaSets is given.
	Sets int
}

// Table defaults.
const (
	DefaultSessions = 1 << 16
	DefaultReplicas = 1 << 14
	DefaultSets     = 1 << 12
)

func (b Bounds) withDefaults() Bounds {
	if b.Sessions <= 0 {
		b.Sessions = DefaultSessions
	}
	if b.Replicas <= 0 {
		b.Replicas = DefaultReplicas
	}
	if b.Sets <= 0 {
		b.Sets = DefaultSets
	}
	return b
}

// MaxRemember bounds Config.Remember: the ring of ended ids is allocated
// up front, so an unbounded value could exhaust memory.
const MaxRemember = 1 << 22

// entry is a task with what admission decided for it.
type entry struct {
	task   Task
	at     int64 // admission time, or the failure time of a retry
	ticket guardrails.Ticket
	seed   determinism.Seed
	used   int64 // tokens used by the attempts so far
	// ttl is the queue-wait TTL that bounds the task (0: none), mine
	// whether it is the task's own (smaller than its class's), deadline
	// at + ttl (0: none).
	ttl, deadline int64
	mine          bool
	// next is the attempt of the task's next dispatch (0: the first);
	// set the replica set of its first job. Both are set when a
	// preemption puts the task back in its queue (OC-CORE-1057).
	next int
	set  string
}

// run is a dispatched job.
type run struct {
	job    Job
	e      entry
	tokens int64 // output tokens of this attempt
	ci     int   // class index
	// prev and next link the class's jobs in dispatch order.
	prev, next *run
}

// Pool is one admission queue with fairness, guardrails, placement,
// watchdog, retries and the task lifecycle. It is safe for concurrent use.
//
// Data structures: a queue.Queue holds the queued tasks (one intrusive
// FIFO per class over a node arena, an id index, per-tenant counts); a
// fairness.Picker chooses the class of each dispatch; a fairness.Shares
// counts admissions and dispatches per class; jobs maps the ids of
// dispatched, not yet ended tasks to their run; waits is a min-heap of
// tasks waiting out a retry delay, by (due, id); ended is a bounded ring
// of recently ended ids with their terminal state. A task id is in at most
// one of queue, jobs, waits and ended, and that is its state. The guard
// (guardrails), the watchdog (keyed by job id), the placer with its
// affinity table and the replica-set registry are single-owner values.
//
// Lock discipline: one mutex, mu, guards every field under mu. Exported
// methods take it; methods whose names end in Locked expect it held.
// Events go to the Observer while mu is held, so the events of one pool
// are totally ordered and each task's events are in lifecycle order;
// the Observer must not call back into the pool. Nothing else is locked
// while mu is held except the Clock (ManualClock's own mutex).
type Pool struct {
	id     string
	prio   Polarity
	obs    observe.Observer
	clock  Clock
	retry  backoff.Config
	pools  []scheduling.Pool
	quotas map[string]queue.Quota // by tenant, "*" the default

	mu struct {
		sync.Mutex
		q      *queue.Queue[entry]
		pick   fairness.Picker
		shares *fairness.Shares
		jobs   churn.Map[string, *run]
		waits  waits
		ended  ring
		guard  guardrails.Guard
		wd     *watchdog.Watchdog
		placer scheduling.Placer
		table  scheduling.Table // the checked view, compiled once per Next
		reg    *determinism.Registry
		seen   []scheduling.Replica  // reused copy of the checked snapshot
		bad    []int                 // indexes of mismatched replicas in the last snapshot
		orig   []int                 // snapshot index of each replica in seen
		vdup   []bool                // whether each replica in seen has a repeated id
		fresh  []int                 // snapshot indexes to register, in replica_id order
		good   *lru.List[registered] // replicas registered, by id, least recently seen evicted
		reps   scheduling.Repeats    // finds ids a snapshot repeats
		exp    expiries              // deadlines not in a class FIFO's order
		live   []runs                // per class, its jobs in dispatch order, for preemption
		window window                // the recent preemptions
	}
}

// New returns an empty pool. An invalid configuration returns an *Error
// with code INVALID_PARAMS.
func New(cfg Config) (*Pool, error) {
	q, err := queue.New[entry](queue.Config{
		Classes: cfg.Classes, Capacity: cfg.Capacity, CapacityTokens: cfg.CapacityTokens,
		Policy: cfg.Admission, Quotas: cfg.Quotas,
	})
	if err != nil {
		return nil, fromQueue(err, "")
	}
	cs := q.Classes()
	weights := make([]int, len(cs))
	for i, c := range cs {
		weights[i] = c.Weight
	}
	pick, err := fairness.New(cfg.Fairness, weights)
	if err != nil {
		return nil, errorf(InvalidParams, "", "%v", err)
	}
	if cfg.Remember < 0 || cfg.Remember > MaxRemember {
		return nil, errorf(InvalidParams, "", "Remember %d outside 0..%d", cfg.Remember, MaxRemember)
	}
	if err := cfg.Retry.Validate(); err != nil {
		return nil, errorf(InvalidParams, "", "%v", err)
	}
	if err := cfg.Preemption.validate(); err != nil {
		return nil, err
	}
	if cfg.Remember == 0 {
		cfg.Remember = 4096
	}
	if err := cfg.Placement.Prefix.Validate(); err != nil {
		return nil, errorf(InvalidParams, "", "%v", err)
	}
	cfg.Placement.Prefix = cfg.Placement.Prefix.WithDefaults()
	switch cfg.EnginePriority {
	case "", LowerFirst, HigherFirst:
	default:
		return nil, errorf(InvalidParams, "", "engine priority %q is neither lower_first nor higher_first", cfg.EnginePriority)
	}
	p := &Pool{id: cfg.ID, prio: cfg.EnginePriority, obs: cfg.Observer, clock: cfg.Clock, retry: cfg.Retry, pools: cfg.Pools}
	p.quotas = map[string]queue.Quota{}
	for _, qt := range cfg.Quotas {
		p.quotas[qt.Tenant] = qt
	}
	if len(p.pools) == 0 {
		p.pools = []scheduling.Pool{{ID: cfg.ID}}
	}
	if p.obs == nil {
		p.obs = observe.Nop{}
	}
	if p.clock == nil {
		p.clock = &ManualClock{}
	}
	p.mu.q = q
	p.mu.pick = pick
	p.mu.shares = fairness.NewShares(len(cs))
	p.mu.waits = newWaits()
	p.mu.window = newWindow(cfg.Preemption)
	p.mu.live = make([]runs, len(cs))
	p.mu.ended = newRing(cfg.Remember)
	p.mu.guard = guardrails.Guard{Limits: cfg.Limits}
	if cfg.Budget != nil {
		p.mu.guard.Sessions = guardrails.NewBoundedSessions(*cfg.Budget, cfg.Bounds.withDefaults().Sessions)
	}
	p.mu.wd = watchdog.New(cfg.Watchdog)
	b := cfg.Bounds.withDefaults()
	p.mu.placer = scheduling.Placer{Policy: cfg.Placement, Affinity: scheduling.NewAffinity(b.Sessions)}
	if pre := cfg.Placement.Prefix; pre.Enabled {
		p.mu.placer.Prefix = scheduling.NewPrefix(pre.BlocksPerReplica, b.Replicas)
	}
	p.mu.reg = cfg.ReplicaSets
	if p.mu.reg == nil {
		p.mu.reg = determinism.NewBoundedRegistry(b.Sets)
	}
	reg := p.mu.reg
	p.mu.good = lru.New(b.Replicas, func(id string, _ registered) { reg.Deregister(id) })
	return p, nil
}

// ID returns the pool id.
func (p *Pool) ID() string { return p.id }

// Classes returns the pool's classes ordered by rank, highest first.
func (p *Pool) Classes() []queue.Class {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]queue.Class(nil), p.mu.q.Classes()...)
}

// Admit offers t to the pool. It runs, in this order: the guardrails
// (ctx_max, max_request_tokens, then the session budget), the seed
// policy, then quotas and class and pool capacity (counts and token
// costs) with the admission policy. On success the task is Queued;
// Admission carries its seed, the session's remaining budget and the tasks
// evicted to make room, if any (they end DROPPED).
//
// Refusals are *Error values, all with Remaining set: CTX_EXCEEDED,
// TOKEN_BUDGET_EXCEEDED, BUDGET_EXCEEDED (naming the budget, its limit and
// what was requested), QUEUE_FULL and QUOTA_EXCEEDED (naming the quota),
// TOKENS_EXCEED_CAPACITY (the task's cost alone exceeds a token capacity),
// UNKNOWN_CLASS; the task ends REJECTED with the code as reason and its
// session is charged nothing. With no event, since the task never existed:
// INVALID_PARAMS (empty id) and DUPLICATE_ID (the id is live or among the
// remembered ended tasks, rejected ones included: a retry after a refusal
// needs a new id, so that each id has one history).
func (p *Pool) Admit(t Task) (Admission, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.admitLocked(t)
}

func (p *Pool) admitLocked(t Task) (Admission, error) {
	now := p.clock.Now()
	var e *Error
	switch {
	case t.ID == "":
		e = errorf(InvalidParams, "", "empty task id")
	case p.liveLocked(t.ID) != 0:
		e = errorf(DuplicateID, t.ID, "task id in use")
	case t.TTLMs < 0:
		e = errorf(InvalidParams, t.ID, "ttl_ms %d < 0", t.TTLMs)
	default:
		limit := p.mu.placer.Policy.Prefix.MaxBlocks
		if limit == 0 { // prefix scoring off: the blocks are unused, but still bounded
			limit = scheduling.DefaultMaxBlocks
		}
		if why := scheduling.CheckBlocks(t.Blocks, limit); why != "" {
			e = errorf(InvalidParams, t.ID, "blocks are not a chain: %s (%d blocks)", why, len(t.Blocks))
		}
	}
	if e != nil {
		rem := p.settleLocked(guardrails.Ticket{Session: t.SessionID}, 0, now) // reads only
		e.Remaining = &rem
		return Admission{}, e
	}
	g := p.mu.guard
	if c, ok := t.Model.CtxMax.Get(); ok {
		g.Limits.CtxMax = int64(c)
	}
	req := guardrails.Request{Session: t.SessionID, PromptTokens: t.PromptTokens, MaxNewTokens: t.MaxNewTokens}
	ga, err := g.Admit(req, now)
	if err != nil {
		e := fromRefusal(err, t.ID, ga.Remaining)
		p.rejectLocked(t, now, e, "")
		return Admission{}, e
	}
	seed := determinism.SeedFor(t.Seed, t.HasSeed, p.id, t.ID)
	q := p.mu.q
	en := entry{task: t, at: now, ticket: ga.Ticket, seed: seed}
	if ci, ok := q.Class(t.Class); ok {
		en.ttl, en.mine = p.ttlOf(ci, t.TTLMs)
		en.deadline = deadline(now, en.ttl)
	}
	out, err := q.EnqueueCost(t.ID, t.Class, t.Tenant, cost(t), en)
	if err == nil && out.Status == queue.Refused {
		err = &Error{Code: Code(out.Code), TaskID: t.ID, Quota: out.Quota}
	}
	if err != nil {
		e, ok := err.(*Error)
		if !ok {
			e = fromQueue(err, t.ID)
		}
		rem := p.settleLocked(ga.Ticket, 0, now)
		e.Remaining = &rem
		switch {
		case out.Status == queue.Refused && e.Code == QueueFull:
			p.rejectLocked(t, now, e, q.Policy().String())
		case out.Status == queue.Refused:
			p.rejectLocked(t, now, e, "") // a quota, not backpressure
		case e.Code == UnknownClass:
			p.rejectLocked(t, now, e, "")
		}
		return Admission{}, e
	}
	policy := q.Policy().String()
	a := Admission{Seed: seed, Remaining: ga.Remaining}
	if out.Status == queue.Evicting {
		a.Reason = string(out.Code)
		a.Evicted = make([]string, 0, len(out.Evicted))
		for _, it := range out.Evicted {
			gone := it.Value
			p.mu.ended.add(gone.task.ID, Dropped)
			p.releaseLocked(&gone)
			a.Remaining = p.settleOtherLocked(gone.ticket, gone.used, t.SessionID, a.Remaining, now)
			p.emitLocked(observe.Dropped, gone.task, now, func(ev *observe.Event) {
				ev.Reason, ev.Policy, ev.EvictedBy = string(out.Code), policy, t.ID
				ev.Engine, ev.ModelID = gone.task.Model.Engine, gone.task.Model.ModelID
				ev.QueueTimeMs = now - gone.at
				ev.Seed = gone.seed.Value
			})
			a.Evicted = append(a.Evicted, it.ID)
		}
	}
	if en.mine {
		p.mu.exp.push(en.ttl, due{at: en.deadline, id: t.ID})
	}
	ci, _ := q.Class(t.Class)
	p.mu.shares.Admit(ci)
	p.emitLocked(observe.Admitted, t, now, func(ev *observe.Event) {
		ev.Seed, ev.TokensIn, ev.ModelID = seed.Value, int(t.PromptTokens), t.Model.ModelID
	})
	return a, nil
}

// cost is what a task counts against token capacities: its prompt plus
// its max new tokens, never negative, saturating.
func cost(t Task) int64 {
	return sat(max(t.PromptTokens, 0), max(t.MaxNewTokens, 0))
}

// rejectLocked ends a task that never entered the queue.
func (p *Pool) rejectLocked(t Task, now int64, e *Error, policy string) {
	p.mu.ended.add(t.ID, Rejected)
	p.emitLocked(observe.Rejected, t, now, func(ev *observe.Event) {
		ev.Reason, ev.Policy, ev.ModelID = string(e.Code), policy, t.Model.ModelID
		ev.Engine, ev.TokensIn = t.Model.Engine, int(t.PromptTokens)
	})
}

// settleLocked closes a session reservation with used tokens and returns
// what the session has left (Unlimited without session budgets).
func (p *Pool) settleLocked(tk guardrails.Ticket, used, now int64) guardrails.Remaining {
	s := p.mu.guard.Sessions
	if s == nil {
		return guardrails.Remaining{Tokens: guardrails.Unlimited, WallMs: guardrails.Unlimited, CostMicros: guardrails.Unlimited}
	}
	if tk.ID != 0 {
		if rem, ok := s.Settle(tk, used, now); ok {
			return rem
		}
	}
	return s.Remaining(tk.Session, now)
}

// settleOtherLocked settles another task's ticket (an evicted one) and
// returns the remaining budget of session, which may have changed.
func (p *Pool) settleOtherLocked(tk guardrails.Ticket, used int64, session string, rem guardrails.Remaining, now int64) guardrails.Remaining {
	p.settleLocked(tk, used, now)
	if s := p.mu.guard.Sessions; s != nil && tk.Session == session {
		return s.Remaining(session, now)
	}
	return rem
}

// liveLocked returns the state of id if the pool knows it, else 0.
func (p *Pool) liveLocked(id string) State {
	if _, ok := p.mu.q.Get(id); ok {
		return Queued
	}
	if _, ok := p.mu.jobs.Get(id); ok {
		return Dispatched
	}
	if p.mu.waits.has(id) {
		return Retrying
	}
	s, _ := p.mu.ended.get(id)
	return s
}

// State returns the state of a live or recently ended task.
func (p *Pool) State(id string) (State, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := p.liveLocked(id)
	return s, s != 0
}

// emitLocked sends one event for t, filled with the pool's common fields
// and the depths after the change; set, if not nil, fills the rest.
func (p *Pool) emitLocked(k observe.Kind, t Task, now int64, set func(*observe.Event)) {
	q := p.mu.q
	ev := observe.Event{
		Kind: k, AtMs: now, TaskID: t.ID, SessionID: t.SessionID, Tenant: t.Tenant,
		Class: t.Class, PoolID: p.id, QueueDepth: q.Len(),
	}
	if ci, ok := q.Class(t.Class); ok {
		ev.ClassDepth = q.ClassLen(ci)
	}
	if set != nil {
		set(&ev)
	}
	p.obs.Observe(ev)
}

// jobFields fills the job fields of OC-CORE-1040 from r.
func jobFields(ev *observe.Event, r *run) {
	j := &r.job
	ev.JobID, ev.ReplicaID = j.ID, j.Replica
	ev.Engine, ev.EngineVersion, ev.SamplerProfileVersion = j.Engine, j.EngineVersion, j.SamplerProfile
	ev.ModelID, ev.Quant, ev.Ctx = j.ModelID, j.Quant, j.Ctx
	ev.KVWarmth, ev.Fallback, ev.Pinned = j.KVWarmth, j.Fallback, j.Pinned
	ev.Seed, ev.Attempt, ev.EnginePriority = j.Seed.Value, j.Attempt, j.EnginePriority
	ev.MatchedBlocks, ev.Guarded = j.MatchedBlocks, j.Guarded
	ev.QueueTimeMs, ev.TokensIn, ev.Tokens = j.QueueTimeMs, int(j.Task.PromptTokens), int(r.tokens)
}

// Observer is observe.Observer, named here for short call sites.
type Observer = observe.Observer
