package core

import (
	"errors"
	"slices"
	"strconv"
	"strings"

	"orchcore.dev/orchestrator-core/determinism"
	"orchcore.dev/orchestrator-core/fairness"
	"orchcore.dev/orchestrator-core/observe"
	"orchcore.dev/orchestrator-core/scheduling"
)

// Next dispatches one task onto a replica of snap.
//
// First the due retries, by (due time, task id), each within the replica
// set of its first job, until one is placed; a retry that cannot be placed
// keeps waiting and never holds back the others. Then, if no retry was
// placed, the backlogged classes in the fairness policy's order: the
// class the policy picks, and while its head cannot be placed, the class
// it picks with the classes already tried left out. Only the head of a
// class is ever tried (FIFO within a class), and only the class actually
// served is committed to the fairness state; classes whose heads could not
// be placed count as not backlogged for that dispatch.
//
// A head whose tenant is at its max_inflight quota is not dispatched: it
// stays at the head of its class as if unplaced, with reason
// QUOTA_EXCEEDED (OC-CORE-1009).
//
// Placement is package scheduling's: only Ready replicas inside their
// pool's device mask, with the task's engine and model, enough context,
// every extension and a free slot; most free VRAM, fewest active slots,
// replica id; the session's last good replica while it is feasible;
// otherwise, with placement.prefix, the prefix score over the pool's
// index and the imbalance guard (OC-CORE-1055). A placed job's blocks are
// learned for its replica; a snapshot entry that reports its cache
// replaces what was learned for it.
// Replicas whose versions disagree with their replica set (or are
// missing) are never chosen. An unpinned task is placed only in this
// pool's own scope: the snap.Pools entry whose ID is the pool's id (or,
// if snap lists none for it, the configured one); the other pools are only
// pin targets (OC-CORE-1011). When snap lists no pools, Config.Pools are
// the scopes.
//
// Placed: the task became a Job (state Dispatched), its watchdog started,
// and a Dispatched event carries every job field. Unplaced: nothing was
// placed; every task tried stays where it was, each with one NoCapacity
// event carrying the reason and counts, and the Dispatch describes the
// first head tried (the due retry when no class was backlogged).
// Refused: the task's pin was refused (INVALID_PARAMS: pinning disabled or
// unknown pool; POOL_UNREADY: no Ready replica in the pinned pool, on a
// first dispatch only); the task ends REJECTED (FAILED if it was a retry)
// with that code as reason. A retry whose pinned pool has no Ready replica
// is not refused: it stays waiting (unplaced, reason POOL_UNREADY) with
// its attempts and backoff kept, bounded by the watchdog of its next job.
// The pool's own id is always a known pin target.
// A pinned pool whose replicas were all left out by the replica-set check
// is not refused: the task stays, unplaced, with reason
// REPLICA_SET_MISMATCH. A pin never falls back to automatic placement.
// Idle: nothing was due.
// Preempted (OC-CORE-1057, Config.Preemption enabled): nothing was placed,
// and of the class heads left unplaced only for NO_CAPACITY or SATURATED
// (never a retry, a quota, a pin or a mismatch) the highest-ranked one
// caused the abort of one in-flight job: of the lowest-ranked class
// strictly below the head's, running in the head's pool scope with the
// head's model id, the latest dispatched, equal times broken by the
// larger job id; at most MaxPerWindow in any WindowMs of pool clock. The
// job's task goes back to the head of its class with its seed, attempt
// count and replica set (its next job is attempt+1), or ends FAILED with
// reason PREEMPTED when its attempts (Config.Retry) are spent. The
// dispatcher must stop the job's engine request.
//
// The bool is true exactly when a job was placed.
func (p *Pool) Next(snap scheduling.Snapshot) (Dispatch, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	d := p.nextLocked(snap)
	return d, d.Outcome == Placed
}

// try is one placement attempt of Next.
type try struct {
	snap, view scheduling.Snapshot // caller's (with pools) and checked
	now        int64
	first      Dispatch // the first unplaced outcome
	blocked    blocked  // the head that may preempt
}

func (x *try) unplaced(d Dispatch) {
	if x.first.Outcome == Idle {
		x.first = d
	}
}

func (p *Pool) nextLocked(snap scheduling.Snapshot) Dispatch {
	if len(snap.Pools) == 0 {
		snap.Pools = p.pools
	}
	x := &try{snap: snap, now: p.clock.Now()}
	p.expireLocked(x.now)
	checked := false
	check := func() {
		if !checked {
			x.view, checked = p.checkLocked(snap), true
			// once per Next, for every head and retry it tries; the view's
			// repeated ids are those checkLocked found
			p.mu.table.LoadMarked(x.view, p.mu.vdup)
		}
	}
	if _, ok := p.mu.waits.due(x.now); ok {
		check()
		if d, done := p.retriesLocked(x); done {
			return d
		}
	}
	retry := x.first
	x.first = Dispatch{}
	q := p.mu.q
	backlog := q.Backlog()
	open := backlog // classes not yet found unplaceable
	for {
		ci, ok := p.mu.pick.Peek(open)
		if !ok {
			break
		}
		check()
		d := p.headLocked(x, ci, open)
		if d.Outcome != Unplaced {
			return d
		}
		x.unplaced(d)
		x.blocked.note(ci, d)
		open &^= 1 << ci
	}
	if d, ok := p.preemptLocked(x); ok {
		return d
	}
	if x.first.Outcome == Idle {
		return retry
	}
	return x.first
}

// retriesLocked tries the due retries in (due, id) order; done is true
// when one was placed or refused.
func (p *Pool) retriesLocked(x *try) (Dispatch, bool) {
	var held []*wait
	defer func() {
		for _, w := range held {
			p.mu.waits.push(w)
		}
	}()
	for w, ok := p.mu.waits.due(x.now); ok; w, ok = p.mu.waits.due(x.now) {
		p.mu.waits.remove(w.e.task.ID)
		d := p.placeRetryLocked(w, x)
		if d.Outcome != Unplaced {
			return d, true
		}
		held = append(held, w)
		x.unplaced(d)
	}
	return Dispatch{}, false
}

// headLocked tries the head of class ci; open is the backlog the fairness
// state sees if the class is served.
func (p *Pool) headLocked(x *try, ci int, open uint64) Dispatch {
	q, now := p.mu.q, x.now
	head, _ := q.Peek(ci)
	e := head.Value
	id := e.task.ID
	if p.atLimitLocked(e.task.Tenant) {
		dec := scheduling.Decision{Index: -1}
		p.unplacedLocked(e, &dec, 0, string(QuotaExceeded), now)
		return Dispatch{Outcome: Unplaced, TaskID: id, Decision: dec, Reason: string(QuotaExceeded)}
	}
	req := request(e.task, e.set)
	dec, bad, err := p.placeLocked(&req, x)
	if err != nil && e.next > 1 && poolUnready(err) {
		err = nil // a preempted task ran before: it waits like a retry
	}
	if err != nil {
		q.Dequeue(ci)
		ce := fromPlacement(err, id)
		p.mu.ended.add(id, Rejected)
		p.releaseLocked(&e)
		p.settleLocked(e.ticket, e.used, now)
		p.emitLocked(observe.Rejected, e.task, now, func(ev *observe.Event) {
			ev.Reason, ev.Pinned, ev.ModelID = string(ce.Code), true, e.task.Model.ModelID
			ev.Engine = e.task.Model.Engine
			ev.Seed, ev.QueueTimeMs = e.seed.Value, now-e.at
		})
		return Dispatch{Outcome: Refused, TaskID: id, Err: ce}
	}
	if !dec.Assigned {
		why := unplacedReason(&dec, bad)
		p.unplacedLocked(e, &dec, bad, why, now)
		return Dispatch{Outcome: Unplaced, TaskID: id, Decision: p.original(dec), Mismatched: bad, Reason: why}
	}
	q.Dequeue(ci)
	if cp, ok := p.mu.pick.(fairness.CostPicker); ok {
		cp.CommitCost(ci, open, cost(e.task))
	} else {
		p.mu.pick.Commit(ci, open)
	}
	attempt := max(e.next, 1)
	if attempt == 1 { // shares count first dispatches only
		p.mu.shares.Dispatch(ci)
	}
	q.Start(e.task.Tenant)
	r := p.startLocked(e, attempt, &dec, x.view, bad, now)
	return Dispatch{Outcome: Placed, TaskID: id, Job: r.job, Decision: p.original(dec), Mismatched: bad}
}

// placeLocked places req in the checked view (loaded in p.mu.table): a pinned request among all
// the snapshot's pools, an unpinned one, or one pinned to this pool's own
// id, in this pool's own scope only (so the own id is a known pin target
// even when the snapshot lists only other pools). It
// also returns how many in-scope replicas the replica-set check left out.
// A pin refused as POOL_UNREADY only because every replica of the pinned
// pool was left out is not a refusal: the task waits (unplaced).
func (p *Pool) placeLocked(req *scheduling.Request, x *try) (scheduling.Decision, int, error) {
	view, snap := x.view, x.snap
	if req.Pin == "" || req.Pin == p.id { // the pool's own id is always a known pin target
		own := p.ownScope(snap.Pools)
		view.Pools, snap.Pools = own, own
	}
	dec, err := p.mu.placer.PlaceIn(req, &p.mu.table, view.Pools)
	bad := p.mismatchedLocked(req, snap)
	if err != nil && bad > 0 && dec.CandidatesTotal == 0 && poolUnready(err) {
		err = nil
	}
	return dec, bad, err
}

// ownScope is the pool's own placement scope: its entry in pools, else
// the configured one, else its id with no device mask.
func (p *Pool) ownScope(pools []scheduling.Pool) []scheduling.Pool {
	for _, src := range [][]scheduling.Pool{pools, p.pools} {
		for i := range src {
			if src[i].ID == p.id {
				return src[i : i+1]
			}
		}
	}
	return []scheduling.Pool{{ID: p.id}}
}

// unplacedReason is the stable reason code of an unplaced decision:
// REPLICA_SET_MISMATCH when the replica-set check left out every in-scope
// replica, else the decision's reason.
func unplacedReason(dec *scheduling.Decision, bad int) string {
	if bad > 0 && dec.CandidatesTotal == 0 {
		return ReasonSetMismatch
	}
	return dec.Reason.String()
}

// atLimitLocked reports whether tenant's in-flight jobs (dispatched or
// waiting for a retry) are at its max_inflight quota.
func (p *Pool) atLimitLocked(tenant string) bool {
	l, ok := p.quotas[tenant]
	if !ok {
		l, ok = p.quotas["*"]
	}
	if !ok || l.MaxInFlight <= 0 {
		return false
	}
	_, f := p.mu.q.Usage(tenant)
	return f >= l.MaxInFlight
}

// placeRetryLocked places a task whose retry delay is over; w is already
// out of the waits.
func (p *Pool) placeRetryLocked(w *wait, x *try) Dispatch {
	id, now := w.e.task.ID, x.now
	req := request(w.e.task, w.set)
	dec, bad, err := p.placeLocked(&req, x)
	if err != nil && poolUnready(err) {
		// A retry of a pinned task whose pool has no Ready replica right
		// now waits like any retry (a replica restarting is the common
		// case); only a first dispatch is refused POOL_UNREADY.
		err = nil
	}
	if err != nil {
		ce := fromPlacement(err, id)
		p.endWaitLocked(w, Failed, observe.Failed, string(ce.Code), now)
		return Dispatch{Outcome: Refused, TaskID: id, Err: ce}
	}
	if !dec.Assigned {
		why := unplacedReason(&dec, bad)
		p.unplacedLocked(w.e, &dec, bad, why, now)
		return Dispatch{Outcome: Unplaced, TaskID: id, Decision: p.original(dec), Mismatched: bad, Reason: why}
	}
	r := p.startLocked(w.e, w.attempt, &dec, x.view, bad, now)
	return Dispatch{Outcome: Placed, TaskID: id, Job: r.job, Decision: p.original(dec), Mismatched: bad}
}

// request is the placement request of t, kept inside set when not "".
func request(t Task, set string) scheduling.Request {
	r := t.Model
	r.Pin, r.SessionID, r.ReplicaSet = t.Pin, t.SessionID, set
	r.Blocks = t.Blocks
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
		EnginePriority: p.priorityOf(e.task.Class), MatchedBlocks: dec.MatchedBlocks,
		Guarded:      dec.Guarded,
		DispatchedAt: now, QueueTimeMs: now - e.at,
	}}
	if x := p.mu.placer.Prefix; x != nil { // the replica will hold the prompt's blocks
		x.Learn(rp.ID, e.task.Blocks)
	}
	r.ci, _ = p.mu.q.Class(e.task.Class)
	p.addJobLocked(r)
	if attempt == 1 { // the task may run in this set until it ends: keep it pinned
		p.mu.reg.Hold(rp.ReplicaSet)
	}
	p.mu.wd.Start(r.job.ID, now)
	p.emitLocked(observe.Dispatched, e.task, now, func(ev *observe.Event) {
		jobFields(ev, r)
		ev.Placement = placement(dec, bad)
	})
	return r
}

// unplacedLocked reports that e was not placed, for reason why. A task
// held back by its quota was never offered to placement and carries no
// placement counts.
func (p *Pool) unplacedLocked(e entry, dec *scheduling.Decision, bad int, why string, now int64) {
	p.emitLocked(observe.NoCapacity, e.task, now, func(ev *observe.Event) {
		ev.Reason, ev.Pinned, ev.ModelID = why, e.task.Pin != "", e.task.Model.ModelID
		ev.Seed, ev.QueueTimeMs = e.seed.Value, now-e.at
		ev.TokensIn = int(e.task.PromptTokens)
		if why != string(QuotaExceeded) {
			ev.Placement = placement(dec, bad)
		}
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
// order the snapshot lists them in (OC-CORE-1017). A replica with an empty
// id, or an id the snapshot repeats, is not registered: it stays in the
// view for placement to filter as REPLICA_INVALID.
func (p *Pool) checkLocked(snap scheduling.Snapshot) scheduling.Snapshot {
	dup := p.mu.reps.Mark(snap.Replicas)
	fresh := p.mu.fresh[:0]
	for i := range snap.Replicas {
		r := &snap.Replicas[i]
		if untrusted(r, dup[i]) {
			continue
		}
		if x := p.mu.placer.Prefix; x != nil && r.CacheReported { // the engine's view wins
			x.Report(r.ID, r.Cached)
		}
		if c, ok := p.mu.good.Get(r.ID); !ok || c.claim != claimOf(r) {
			fresh = append(fresh, i)
		} else {
			p.mu.good.Touch(r.ID) // seen: the least recently seen is evicted first
		}
	}
	slices.SortStableFunc(fresh, func(a, b int) int {
		return strings.Compare(snap.Replicas[a].ID, snap.Replicas[b].ID)
	})
	for _, i := range fresh {
		p.registerLocked(&snap.Replicas[i])
	}
	p.mu.fresh = fresh

	// A repeated id has every entry in the view (each is untrusted), so
	// the view repeats exactly the ids snap repeats: vdup marks them.
	seen, bad, orig, vdup := p.mu.seen[:0], p.mu.bad[:0], p.mu.orig[:0], p.mu.vdup[:0]
	for i := range snap.Replicas {
		r := snap.Replicas[i]
		if untrusted(&r, dup[i]) { // placement filters it as REPLICA_INVALID
			seen, orig, vdup = append(seen, r), append(orig, i), append(vdup, dup[i])
			continue
		}
		c, ok := p.mu.good.Get(r.ID)
		if !ok || c.claim != claimOf(&r) {
			bad = append(bad, i)
			continue
		}
		r.ReplicaSet = c.set
		seen, orig, vdup = append(seen, r), append(orig, i), append(vdup, false)
	}
	p.mu.seen, p.mu.bad, p.mu.orig, p.mu.vdup = seen, bad, orig, vdup
	return scheduling.Snapshot{Pools: snap.Pools, Replicas: seen}
}

// untrusted reports a replica whose id cannot key the registry: empty, or
// repeated in the snapshot. It is never registered (so the registry never
// depends on snapshot order) and placement filters it as REPLICA_INVALID.
func untrusted(r *scheduling.Replica, dup bool) bool {
	return dup || r.ID == ""
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
		p.mu.good.Delete(r.ID)
		return
	}
	p.mu.good.Put(r.ID, registered{claim: c, set: set})
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

// poolUnready reports a POOL_UNREADY refusal of a pin.
func poolUnready(err error) bool {
	var se *scheduling.Error
	return errors.As(err, &se) && se.Code == scheduling.CodePoolUnready
}

// moved reports a replica registered before in another set.
func moved(err error) bool {
	var de *determinism.Error
	return errors.As(err, &de) && de.Code == determinism.CodeReplicaMoved
}
