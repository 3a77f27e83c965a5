package core

import (
	"sync"

	"orchcore.dev/orchestrator-core/fairness"
	"orchcore.dev/orchestrator-core/observe"
	"orchcore.dev/orchestrator-core/queue"
)

// Config configures a Pool. Zero values of optional fields are defaults.
type Config struct {
	// ID is the pool id reported in every event.
	ID string
	// Classes are the priority classes; required.
	Classes []queue.Class
	// Capacity bounds the total queued tasks; 0 means only the class
	// capacities bound it.
	Capacity  int
	Admission queue.Policy
	// Fairness is the class selection policy; empty means weighted.
	Fairness fairness.Kind
	Quotas   []queue.Quota
	// Observer receives every lifecycle event; nil means observe.Nop.
	Observer observe.Observer
	// Clock is the time source; nil means a ManualClock stuck at 0.
	Clock Clock
	// Remember is how many ended tasks the pool remembers so that a
	// repeated Cancel is answered with AlreadyEnded and a reused id is
	// refused; 0 means 4096.
	Remember int
}

// entry is what the queue holds for a task.
type entry struct {
	task Task
	at   int64 // admission time
}

// Pool is one admission queue with fairness and the task lifecycle. It is
// safe for concurrent use.
//
// Data structures: a queue.Queue holds the queued tasks (one intrusive
// FIFO per class over a node arena, an id index, per-tenant counts); a
// fairness.Picker chooses the class of each dispatch; a fairness.Shares
// counts admissions and dispatches per class; jobs maps the ids of
// dispatched, not yet ended tasks to their Job; ended is a bounded ring of
// recently ended ids with their terminal state. A task id is in at most one
// of queue, jobs and ended, and that is its state.
//
// Lock discipline: one mutex, mu, guards every field under mu. Exported
// methods take it; methods whose names end in Locked expect it held.
// Events go to the Observer while mu is held, so the events of one pool
// are totally ordered and each task's events are in lifecycle order;
// the Observer must not call back into the pool. Nothing else is locked
// while mu is held except the Clock (ManualClock's own mutex).
type Pool struct {
	id    string
	obs   observe.Observer
	clock Clock

	mu struct {
		sync.Mutex
		q      *queue.Queue[entry]
		pick   fairness.Picker
		shares *fairness.Shares
		jobs   map[string]Job
		ended  ring
	}
}

// New returns an empty pool. An invalid configuration returns an *Error
// with code INVALID_PARAMS.
func New(cfg Config) (*Pool, error) {
	q, err := queue.New[entry](queue.Config{
		Classes: cfg.Classes, Capacity: cfg.Capacity, Policy: cfg.Admission, Quotas: cfg.Quotas,
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
	if cfg.Remember < 0 {
		return nil, errorf(InvalidParams, "", "negative Remember %d", cfg.Remember)
	}
	if cfg.Remember == 0 {
		cfg.Remember = 4096
	}
	p := &Pool{id: cfg.ID, obs: cfg.Observer, clock: cfg.Clock}
	if p.obs == nil {
		p.obs = observe.Nop{}
	}
	if p.clock == nil {
		p.clock = &ManualClock{}
	}
	p.mu.q = q
	p.mu.pick = pick
	p.mu.shares = fairness.NewShares(len(cs))
	p.mu.jobs = map[string]Job{}
	p.mu.ended = newRing(cfg.Remember)
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

// Admit offers t to the pool. On success the task is Queued; Admission
// names the task evicted to make room, if any (that task ends DROPPED).
// Refusals are *Error values: QUEUE_FULL and QUOTA_EXCEEDED (the task
// ends REJECTED), UNKNOWN_CLASS (REJECTED), and, with no event since the
// task never existed, INVALID_PARAMS (empty id) and DUPLICATE_ID (the id
// is queued, dispatched or among the remembered ended tasks, rejected ones
// included: a retry after a refusal needs a new id, so that each id has
// one history).
func (p *Pool) Admit(t Task) (Admission, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.admitLocked(t)
}

func (p *Pool) admitLocked(t Task) (Admission, error) {
	if t.ID == "" {
		return Admission{}, errorf(InvalidParams, "", "empty task id")
	}
	if p.liveLocked(t.ID) != 0 {
		return Admission{}, errorf(DuplicateID, t.ID, "task id in use")
	}
	now := p.clock.Now()
	q := p.mu.q
	out, err := q.Enqueue(t.ID, t.Class, t.Tenant, entry{task: t, at: now})
	if err != nil {
		e := fromQueue(err, t.ID)
		if e.Code == UnknownClass {
			p.mu.ended.add(t.ID, Rejected)
			p.emitLocked(observe.Rejected, t, now, func(ev *observe.Event) { ev.Reason = string(e.Code) })
		}
		return Admission{}, e
	}
	policy := q.Policy().String()
	switch out.Status {
	case queue.Refused:
		p.mu.ended.add(t.ID, Rejected)
		p.emitLocked(observe.Rejected, t, now, func(ev *observe.Event) {
			ev.Reason, ev.Policy = string(out.Code), policy
		})
		return Admission{}, &Error{Code: Code(out.Code), TaskID: t.ID, Quota: out.Quota}
	case queue.Evicting:
		gone := out.Evicted.Value.task
		p.mu.ended.add(gone.ID, Dropped)
		p.emitLocked(observe.Dropped, gone, now, func(ev *observe.Event) {
			ev.Reason, ev.Policy, ev.EvictedBy = string(out.Code), policy, t.ID
			ev.QueueTimeMs = now - out.Evicted.Value.at
		})
	}
	ci, _ := q.Class(t.Class)
	p.mu.shares.Admit(ci)
	p.emitLocked(observe.Admitted, t, now, nil)
	a := Admission{}
	if out.Status == queue.Evicting {
		a = Admission{Evicted: out.Evicted.ID, Reason: string(out.Code)}
	}
	return a, nil
}

// Next dispatches the task chosen by the fairness policy: the head of the
// chosen class leaves the queue and becomes a Job (state Dispatched). It
// returns false when nothing is queued.
func (p *Pool) Next() (Job, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.nextLocked(nil)
}

// Placer decides where a task runs. It returns the replica id, or ok=false
// and a stable reason code (NO_CAPACITY, ...) when no replica fits. It is
// called with the pool's lock held and must not call back into the pool.
type Placer func(t Task) (replica, reason string, ok bool)

// NextPlaced is Next with placement: the task chosen by the fairness
// policy is offered to place. If place accepts, the task is dispatched
// with Job.Replica set. If not, the task stays at the head of its class,
// the fairness state is unchanged (the same class is chosen next time), a
// NoCapacity event carries the reason, and NextPlaced returns false. Other
// classes are not tried: the pool's tasks share one model, so a task that
// does not fit says the pool is full.
func (p *Pool) NextPlaced(place Placer) (Job, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.nextLocked(place)
}

func (p *Pool) nextLocked(place Placer) (Job, bool) {
	q := p.mu.q
	backlog := q.Backlog()
	ci, ok := p.mu.pick.Peek(backlog)
	if !ok {
		return Job{}, false
	}
	now := p.clock.Now()
	replica := ""
	if place != nil {
		head, _ := q.Peek(ci)
		r, reason, ok := place(head.Value.task)
		if !ok {
			p.emitLocked(observe.NoCapacity, head.Value.task, now, func(ev *observe.Event) { ev.Reason = reason })
			return Job{}, false
		}
		replica = r
	}
	it, _ := q.Dequeue(ci)
	p.mu.pick.Commit(ci, backlog)
	p.mu.shares.Dispatch(ci)
	q.Start(it.Tenant)
	j := Job{Task: it.Value.task, Replica: replica, DispatchedAt: now, QueueTimeMs: now - it.Value.at}
	p.mu.jobs[it.ID] = j
	p.emitLocked(observe.Dispatched, j.Task, now, func(ev *observe.Event) {
		ev.QueueTimeMs, ev.ReplicaID = j.QueueTimeMs, replica
	})
	return j, true
}

// liveLocked returns the state of id if the pool knows it, else 0.
func (p *Pool) liveLocked(id string) State {
	if _, ok := p.mu.q.Get(id); ok {
		return Queued
	}
	if _, ok := p.mu.jobs[id]; ok {
		return Dispatched
	}
	s, _ := p.mu.ended.get(id)
	return s
}

// State returns the state of a queued, dispatched or recently ended task.
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

// Observer is observe.Observer, named here for short call sites.
type Observer = observe.Observer
