package core

import (
	"errors"
	"slices"
	"strconv"
	"strings"

	"orchcore.dev/orchestrator-core/determinism"
	"orchcore.dev/orchestrator-core/observe"
	"orchcore.dev/orchestrator-core/scheduling"
)

// Next dispatches one task onto a replica of snap.
//
// First the earliest retry whose delay is over, if any, is placed, within
// the replica set of its first job; then, if no retry was placed, the task
// chosen by the fairness policy (the head of its class). Placement is
// package scheduling's: only Ready replicas inside their pool's device
// mask, with the task's engine and model, enough context, every extension
// and a free slot; most free VRAM, fewest active slots, replica id; the
// session's last good replica while it is feasible. Replicas whose
// versions disagree with their replica set (or are missing) are never
// chosen. When snap lists no pools, Config.Pools are the scopes.
//
// Placed: the task became a Job (state Dispatched), its watchdog started,
// and a Dispatched event carries every job field. Unplaced: the task stays
// where it was (a queued task at the head of its class with the fairness
// state unchanged), and a NoCapacity event carries the reason and counts.
// Refused: the task's pin was refused (INVALID_PARAMS: pinning disabled or
// unknown pool; POOL_UNREADY: no Ready replica in the pinned pool); the
// task ends REJECTED (FAILED if it was a retry) with that code as reason.
// A pin never falls back to automatic placement. Idle: nothing was due.
//
// The bool is true exactly when a job was placed.
func (p *Pool) Next(snap scheduling.Snapshot) (Dispatch, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	d := p.nextLocked(snap)
	return d, d.Outcome == Placed
}

func (p *Pool) nextLocked(snap scheduling.Snapshot) Dispatch {
	now := p.clock.Now()
	if len(snap.Pools) == 0 {
		snap.Pools = p.pools
	}
	var view scheduling.Snapshot
	checked := false
	check := func() {
		if !checked {
			view, checked = p.checkLocked(snap), true
		}
	}
	var out Dispatch
	if w, ok := p.mu.waits.due(now); ok {
		check()
		out = p.placeRetryLocked(w, snap, view, now)
		if out.Outcome != Unplaced {
			return out
		}
	}
	q := p.mu.q
	backlog := q.Backlog()
	ci, ok := p.mu.pick.Peek(backlog)
	if !ok {
		return out
	}
	check()
	head, _ := q.Peek(ci)
	e := head.Value
	id := e.task.ID
	req := request(e.task, "")
	dec, err := p.mu.placer.Place(&req, view)
	if err != nil {
		q.Dequeue(ci)
		ce := fromPlacement(err, id)
		p.mu.ended.add(id, Rejected)
		p.settleLocked(e.ticket, 0, now)
		p.emitLocked(observe.Rejected, e.task, now, func(ev *observe.Event) {
			ev.Reason, ev.Pinned, ev.ModelID = string(ce.Code), true, e.task.Model.ModelID
			ev.Seed, ev.QueueTimeMs = e.seed.Value, now-e.at
		})
		return Dispatch{Outcome: Refused, TaskID: id, Err: ce}
	}
	bad := p.mismatchedLocked(&req, snap)
	if !dec.Assigned {
		p.unplacedLocked(e, &dec, bad, now)
		return Dispatch{Outcome: Unplaced, TaskID: id, Decision: p.original(dec), Mismatched: bad}
	}
	q.Dequeue(ci)
	p.mu.pick.Commit(ci, backlog)
	p.mu.shares.Dispatch(ci)
	q.Start(e.task.Tenant)
	r := p.startLocked(e, 1, &dec, view, bad, now)
	return Dispatch{Outcome: Placed, TaskID: id, Job: r.job, Decision: p.original(dec), Mismatched: bad}
}

// placeRetryLocked places a task whose retry delay is over.
func (p *Pool) placeRetryLocked(w *wait, snap, view scheduling.Snapshot, now int64) Dispatch {
	id := w.e.task.ID
	req := request(w.e.task, w.set)
	dec, err := p.mu.placer.Place(&req, view)
	if err != nil {
		ce := fromPlacement(err, id)
		p.mu.waits.remove(id)
		p.endWaitLocked(w, Failed, observe.Failed, string(ce.Code), now)
		return Dispatch{Outcome: Refused, TaskID: id, Err: ce}
	}
	bad := p.mismatchedLocked(&req, snap)
	if !dec.Assigned {
		p.unplacedLocked(w.e, &dec, bad, now)
		return Dispatch{Outcome: Unplaced, TaskID: id, Decision: p.original(dec), Mismatched: bad}
	}
	p.mu.waits.remove(id)
	r := p.startLocked(w.e, w.attempt, &dec, view, bad, now)
	return Dispatch{Outcome: Placed, TaskID: id, Job: r.job, Decision: p.original(dec), Mismatched: bad}
}

// request is the placement request of t, kept inside set when not "".
func request(t Task, set string) scheduling.Request {
	r := t.Model
	r.Pin, r.SessionID, r.ReplicaSet = t.Pin, t.SessionID, set
	return r
}

// startLocked turns e into attempt number attempt on the replica dec
// chose in view.
func (p *Pool) startLocked(e entry, attempt int, dec *scheduling.Decision, view scheduling.Snapshot, bad int, now int64) *run {
	rp := &view.Replicas[dec.Index]
	r := &run{e: e, job: Job{
		ID: e.task.ID + "#" + strconv.Itoa(attempt), Task: e.task, Attempt: attempt, Seed: e.seed,
		Replica: rp.ID, PoolID: rp.PoolID, ReplicaSet: rp.ReplicaSet,
		Engine: rp.Engine, EngineVersion: rp.EngineVersion, SamplerProfile: rp.SamplerProfileVersion,
		ModelID: rp.ModelID, Quant: rp.Quant, Ctx: rp.CtxMaxSupported,
		KVWarmth: dec.KVWarmth, Fallback: dec.Moved, Pinned: dec.Pinned,
		DispatchedAt: now, QueueTimeMs: now - e.at,
	}}
	p.mu.jobs[e.task.ID] = r
	p.mu.wd.Start(r.job.ID, now)
	p.emitLocked(observe.Dispatched, e.task, now, func(ev *observe.Event) {
		jobFields(ev, r)
		ev.Placement = placement(dec, bad)
	})
	return r
}

// unplacedLocked reports that e found no replica.
func (p *Pool) unplacedLocked(e entry, dec *scheduling.Decision, bad int, now int64) {
	p.emitLocked(observe.NoCapacity, e.task, now, func(ev *observe.Event) {
		ev.Reason, ev.Pinned, ev.ModelID = dec.Reason.String(), dec.Pinned, e.task.Model.ModelID
		ev.Seed, ev.QueueTimeMs = e.seed.Value, now-e.at
		ev.TokensIn = int(e.task.PromptTokens)
		ev.Placement = placement(dec, bad)
	})
}

// ReasonSetMismatch is the filtered-count reason of replicas left out
// because their versions disagree with their replica set.
const ReasonSetMismatch = determinism.CodeVersionMismatch

// placement is the event payload of dec plus the replicas left out by the
// replica-set check.
func placement(dec *scheduling.Decision, bad int) *observe.Placement {
	pl := dec.Placement()
	if bad > 0 {
		pl.CandidatesTotal += bad
		rc := observe.ReasonCount{Reason: ReasonSetMismatch, Count: bad}
		i := 0
		for i < len(pl.Filtered) && pl.Filtered[i].Reason < rc.Reason {
			i++
		}
		pl.Filtered = append(pl.Filtered[:i], append([]observe.ReasonCount{rc}, pl.Filtered[i:]...)...)
	}
	return pl
}

// checkLocked returns the replicas of snap whose versions agree with
// their replica set, registering each in the pool's registry. A replica
// without a set id is put in the set its versions define
// (determinism.Key), so a new engine_version or model_digest is a new set
// (OC-CORE-1032). A replica seen before in another set is moved. The
// indexes of left-out replicas go to p.mu.bad, and the view's positions
// map back to snap through p.mu.orig.
//
// Replicas not registered before are registered in replica_id order, not
// snapshot order: when two of them first claim an undeclared set with
// different versions, the smaller id fixes the set's versions, whatever
// order the snapshot lists them in (OC-CORE-1017).
func (p *Pool) checkLocked(snap scheduling.Snapshot) scheduling.Snapshot {
	fresh := p.mu.fresh[:0]
	for i := range snap.Replicas {
		r := &snap.Replicas[i]
		if c, ok := p.mu.good[r.ID]; !ok || c.claim != claimOf(r) {
			fresh = append(fresh, i)
		}
	}
	slices.SortStableFunc(fresh, func(a, b int) int {
		return strings.Compare(snap.Replicas[a].ID, snap.Replicas[b].ID)
	})
	for _, i := range fresh {
		p.registerLocked(&snap.Replicas[i])
	}
	p.mu.fresh = fresh

	seen, bad, orig := p.mu.seen[:0], p.mu.bad[:0], p.mu.orig[:0]
	for i := range snap.Replicas {
		r := snap.Replicas[i]
		c, ok := p.mu.good[r.ID]
		if !ok || c.claim != claimOf(&r) {
			bad = append(bad, i)
			continue
		}
		r.ReplicaSet = c.set
		seen, orig = append(seen, r), append(orig, i)
	}
	p.mu.seen, p.mu.bad, p.mu.orig = seen, bad, orig
	return scheduling.Snapshot{Pools: snap.Pools, Replicas: seen}
}

// registerLocked registers r with the set it claims and records the
// outcome in p.mu.good: present with r's claim when accepted, absent when
// refused.
func (p *Pool) registerLocked(r *scheduling.Replica) {
	reg, c := p.mu.reg, claimOf(r)
	set := r.ReplicaSet
	if set == "" {
		set = determinism.Key(c.v)
	}
	err := reg.Register(r.ID, set, c.v)
	if err != nil && moved(err) {
		reg.Deregister(r.ID)
		err = reg.Register(r.ID, set, c.v)
	}
	if err != nil {
		delete(p.mu.good, r.ID)
		return
	}
	p.mu.good[r.ID] = registered{claim: c, set: set}
}

// claimOf is what r says of its set and versions.
func claimOf(r *scheduling.Replica) claim {
	return claim{set: r.ReplicaSet, v: determinism.Versions{Engine: r.Engine, EngineVersion: r.EngineVersion,
		SamplerProfileVersion: r.SamplerProfileVersion, ModelDigest: r.ModelDigest}}
}

// claim is what a snapshot says of a replica's set and versions.
type claim struct {
	set string
	v   determinism.Versions
}

// registered is a claim the registry accepted, with the set it resolved
// to. The registry only changes through checkLocked, so a replica whose
// claim is unchanged needs no new registration.
type registered struct {
	claim
	set string
}

// mismatchedLocked counts the left-out replicas that req would have
// considered: in its scope (the pinned pool, or every listed pool) and in
// its replica set, if any.
func (p *Pool) mismatchedLocked(req *scheduling.Request, snap scheduling.Snapshot) int {
	n := 0
	for _, i := range p.mu.bad {
		r := &snap.Replicas[i]
		if req.ReplicaSet != "" && r.ReplicaSet != req.ReplicaSet {
			continue
		}
		if req.Pin != "" {
			if r.PoolID == req.Pin {
				n++
			}
			continue
		}
		for _, pl := range snap.Pools {
			if pl.ID == r.PoolID {
				n++
				break
			}
		}
	}
	return n
}

// original maps the decision's replica index back to the caller's
// snapshot.
func (p *Pool) original(d scheduling.Decision) scheduling.Decision {
	if d.Index >= 0 {
		d.Index = p.mu.orig[d.Index]
	}
	return d
}

// moved reports a replica registered before in another set.
func moved(err error) bool {
	var de *determinism.Error
	return errors.As(err, &de) && de.Code == determinism.CodeReplicaMoved
}
