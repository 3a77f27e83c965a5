package core_test

import (
	"slices"
	"testing"

	"orchcore.dev/contracts/config-schema/config"
	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/backoff"
	"orchcore.dev/orchestrator-core/observe"
	"orchcore.dev/orchestrator-core/queue"
	"orchcore.dev/orchestrator-core/scheduling"
)

// free has room for any number of jobs; full has none.
var (
	free = snapOf(rep("r1", 1000, func(r *scheduling.Replica) { r.SlotsTotal = 1 << 20 }))
	full = snapOf(rep("r1", 1000, func(r *scheduling.Replica) { r.ActiveSlots = r.SlotsTotal }))
)

// prePool is a pool allowing max preemptions per window ms, with retries
// more jobs after the first.
func prePool(t *testing.T, max int, window int64, retries int, mod ...func(*core.Config)) (*core.Pool, *core.Recorder, *core.ManualClock) {
	t.Helper()
	return newPool(t, func(c *core.Config) {
		c.Classes, c.Capacity = classes(8), 0
		c.Preemption = core.Preemption{Enabled: true, MaxPerWindow: max, WindowMs: window}
		c.Retry = backoff.Config{BaseMs: 10, CapMs: 10, MaxRetries: retries}
		for _, m := range mod {
			m(c)
		}
	})
}

// ctask is mtask in class.
func ctask(id, class string) core.Task {
	tk := mtask(id)
	tk.Class = class
	return tk
}

// runJob admits a task of class at the clock's time and dispatches it.
func runJob(t *testing.T, p *core.Pool, id, class string) core.Job {
	t.Helper()
	admit(t, p, ctask(id, class))
	d, ok := p.Next(free)
	if !ok || d.TaskID != id {
		t.Fatalf("dispatch %s: %v %s %s", id, ok, d.Outcome, d.TaskID)
	}
	return d.Job
}

// preempted asserts that Next on full preempts victim's job for head.
func preempted(t *testing.T, p *core.Pool, victim, job, head string) core.Dispatch {
	t.Helper()
	d, ok := p.Next(full)
	if ok || d.Outcome != core.Preempted || d.TaskID != victim || d.Job.ID != job || d.Head != head ||
		d.Reason != scheduling.CodeNoCapacity {
		t.Fatalf("Next = placed %v %s task %q job %q head %q reason %q; want preempted %s (%s) for %s, NO_CAPACITY",
			ok, d.Outcome, d.TaskID, d.Job.ID, d.Head, d.Reason, victim, job, head)
	}
	return d
}

// unplaced asserts that Next on full preempts nothing.
func unplaced(t *testing.T, p *core.Pool, why string) {
	t.Helper()
	if d, ok := p.Next(full); ok || d.Outcome != core.Unplaced {
		t.Fatalf("%s: Next = %v %s of %s, want unplaced", why, ok, d.Outcome, d.TaskID)
	}
}

func kinds(evs []observe.Event, k observe.Kind) []observe.Event {
	var out []observe.Event
	for _, e := range evs {
		if e.Kind == k {
			out = append(out, e)
		}
	}
	return out
}

// TestPreemptChoosesVictim: the victim is from the lowest-ranked class
// strictly below the head's, the most recently dispatched first, equal
// times broken by the larger job id; the window allows exactly
// MaxPerWindow in any WindowMs; the events carry the victim's job fields
// and the head.
func TestPreemptChoosesVictim(t *testing.T) {
	t.Attr("req", "OC-CORE-1057")
	p, rec, clk := prePool(t, 2, 100, 2)
	runJob(t, p, "b1", "batch")
	clk.Set(10)
	runJob(t, p, "g1", "background")
	clk.Set(20)
	runJob(t, p, "g3", "background")
	runJob(t, p, "g2", "background") // same time as g3, dispatched after it: the larger id, g3, still goes first
	clk.Set(30)
	admit(t, p, ctask("i1", "interactive"))
	preempted(t, p, "g3", "g3#1", "i1")
	preempted(t, p, "g2", "g2#1", "i1")
	unplaced(t, p, "third preemption within 100 ms")
	clk.Set(129)
	unplaced(t, p, "99 ms after two preemptions")
	clk.Set(130)
	preempted(t, p, "g1", "g1#1", "i1") // both at 30 left the window (30, 130]
	preempted(t, p, "b1", "b1#1", "i1") // no background job in flight: the next class up
	unplaced(t, p, "two preemptions at 130")
	clk.Set(230)
	unplaced(t, p, "nothing below interactive in flight")
	if got := p.Queue("background"); !slices.Equal(got, []string{"g1", "g2", "g3"}) {
		t.Fatalf("background queue %v, want g1 g2 g3 (each put back at the head)", got)
	}
	pe := kinds(rec.Events(), observe.Preempted)
	if len(pe) != 4 {
		t.Fatalf("%d preempted events, want 4", len(pe))
	}
	e := pe[0]
	if e.TaskID != "g3" || e.JobID != "g3#1" || e.PreemptedBy != "i1" || e.Reason != core.ReasonPreempted ||
		e.ReplicaID != "r1" || e.Attempt != 1 || e.DecodeTimeMs != 10 || e.Class != "background" || e.AtMs != 30 {
		t.Fatalf("first preempted event %+v", e)
	}
	if err := core.CheckHistories(rec.Events()); err == nil {
		t.Fatal("i1 and the preempted tasks never ended, yet the histories passed")
	}
}

// TestPreemptNeverEqualOrHigherRank: a head blocked by capacity preempts
// nothing when every in-flight job is of its own class (equal rank) or
// ranked above it.
func TestPreemptNeverEqualOrHigherRank(t *testing.T) {
	t.Attr("req", "OC-CORE-1057")
	p, rec, _ := prePool(t, 5, 100, 2)
	runJob(t, p, "i1", "interactive")
	runJob(t, p, "b1", "batch")
	admit(t, p, ctask("b2", "batch"))
	unplaced(t, p, "only equal and higher ranks in flight")
	admit(t, p, ctask("i2", "interactive"))
	preempted(t, p, "b1", "b1#1", "i2") // the control: a lower rank is preempted
	if n := len(kinds(rec.Events(), observe.Preempted)); n != 1 {
		t.Fatalf("%d preemptions, want 1", n)
	}
	state(t, p, "i1", core.Dispatched)
}

// TestPreemptRequeuesWithAttemptAndSeed: the victim goes back to the head
// of its class, before the task queued behind it; its next job is attempt
// 2 with the same seed in the same replica set; calls for the aborted job
// are refused like calls for any task not dispatched; tokens are charged
// once, quotas and counts stay consistent.
func TestPreemptRequeuesWithAttemptAndSeed(t *testing.T) {
	t.Attr("req", "OC-CORE-1057")
	p, rec, clk := prePool(t, 5, 100, 2, func(c *core.Config) {
		c.Quotas = []queue.Quota{{Tenant: "acme", MaxInFlight: 5}}
	})
	tk := ctask("g1", "background")
	tk.Seed, tk.HasSeed = 424242, true
	admit(t, p, tk)
	d, ok := p.Next(free)
	if !ok || d.Job.Seed.Value != 424242 {
		t.Fatalf("dispatch g1: %v seed %d", ok, d.Job.Seed.Value)
	}
	first := d.Job
	if err := p.Token("g1", 7); err != nil {
		t.Fatal(err)
	}
	admit(t, p, ctask("g2", "background"), ctask("i1", "interactive"))
	clk.Set(40)
	preempted(t, p, "g1", "g1#1", "i1")
	state(t, p, "g1", core.Queued)
	if got := p.Queue("background"); !slices.Equal(got, []string{"g1", "g2"}) {
		t.Fatalf("background queue %v, want g1 then g2", got)
	}
	if q, f := p.Usage("acme"); q != 3 || f != 0 {
		t.Fatalf("usage of acme: %d queued %d in flight, want 3 0", q, f)
	}
	if s := p.Stats(); s.InFlight != 0 || s.Queued != 3 {
		t.Fatalf("stats: %d in flight %d queued", s.InFlight, s.Queued)
	}
	for name, call := range map[string]func() error{
		"Complete": func() error { return p.Complete("g1") }, "Fail": func() error { return p.Fail("g1", "X") },
		"Token": func() error { return p.Token("g1", 1) }, "TimeOut": func() error { return p.TimeOut("g1", "WALL") },
	} {
		if err := call(); core.CodeOf(err) != core.InvalidState {
			t.Errorf("%s of the preempted job: %v, want INVALID_STATE", name, err)
		}
	}
	if r, err := p.Cancel("i1"); err != nil || r != core.CanceledQueued {
		t.Fatalf("cancel i1: %v %v", r, err)
	}
	clk.Set(55)
	d, ok = p.Next(free)
	j := d.Job
	if !ok || j.ID != "g1#2" || j.Attempt != 2 || j.Seed != first.Seed || j.ReplicaSet != first.ReplicaSet || j.QueueTimeMs != 15 {
		t.Fatalf("redispatch: %v %+v; want g1#2, attempt 2, seed %v, set %s, queue time 15", ok, j, first.Seed, first.ReplicaSet)
	}
	if s := p.Stats(); s.Classes[2].Dispatched != 1 {
		t.Fatalf("background dispatched %d, want 1 (first dispatches only)", s.Classes[2].Dispatched)
	}
	if err := p.Complete("g1"); err != nil {
		t.Fatal(err)
	}
	if err := core.CheckHistories(filterTask(rec.Events(), "g1", "i1")); err != nil {
		t.Fatal(err)
	}
	ks := []observe.Kind{}
	for _, e := range filterTask(rec.Events(), "g1") {
		ks = append(ks, e.Kind)
	}
	want := []observe.Kind{observe.Admitted, observe.Dispatched, observe.Token, observe.Preempted, observe.Dispatched, observe.Completed}
	if !slices.Equal(ks, want) {
		t.Fatalf("g1's events %v, want %v", ks, want)
	}
}

func filterTask(evs []observe.Event, ids ...string) []observe.Event {
	var out []observe.Event
	for _, e := range evs {
		if slices.Contains(ids, e.TaskID) {
			out = append(out, e)
		}
	}
	return out
}

// TestPreemptFailsWhenAttemptsSpent: with no retry left the victim ends
// FAILED with reason PREEMPTED (after its preempted event), charged for
// its tokens, its tenant's in-flight count released.
func TestPreemptFailsWhenAttemptsSpent(t *testing.T) {
	t.Attr("req", "OC-CORE-1057")
	p, rec, _ := prePool(t, 5, 100, 1, func(c *core.Config) {
		c.Quotas = []queue.Quota{{Tenant: "acme", MaxInFlight: 5}}
	})
	runJob(t, p, "g1", "background")
	admit(t, p, ctask("i1", "interactive"))
	preempted(t, p, "g1", "g1#1", "i1") // attempt 1 of 2: back in the queue
	if _, err := p.Cancel("i1"); err != nil {
		t.Fatal(err)
	}
	if d, ok := p.Next(free); !ok || d.Job.ID != "g1#2" {
		t.Fatalf("redispatch: %v %s", ok, d.Job.ID)
	}
	admit(t, p, ctask("i2", "interactive"))
	preempted(t, p, "g1", "g1#2", "i2") // attempt 2 of 2: spent
	state(t, p, "g1", core.Failed)
	if _, f := p.Usage("acme"); f != 0 {
		t.Fatalf("acme in flight %d after the failure, want 0", f)
	}
	evs := filterTask(rec.Events(), "g1")
	last, prev := evs[len(evs)-1], evs[len(evs)-2]
	if prev.Kind != observe.Preempted || last.Kind != observe.Failed || last.Reason != core.ReasonPreempted || last.Attempt != 2 {
		t.Fatalf("last events of g1: %v %v (%s, attempt %d); want preempted then failed PREEMPTED attempt 2",
			prev.Kind, last.Kind, last.Reason, last.Attempt)
	}
	if err := core.CheckHistories(evs); err != nil {
		t.Fatal(err)
	}
}

// TestPreemptOnlyForCapacity: preemption off never preempts; a head
// unplaced for a reason other than NO_CAPACITY or SATURATED never
// preempts; SATURATED does; a job serving another model or in another
// pool is never the victim.
func TestPreemptOnlyForCapacity(t *testing.T) {
	t.Attr("req", "OC-CORE-1057")
	off, rec, _ := newPool(t, func(c *core.Config) { c.Classes, c.Retry.MaxRetries = classes(8), 2 })
	runJob(t, off, "g1", "background")
	admit(t, off, ctask("i1", "interactive"))
	unplaced(t, off, "preemption disabled")
	if n := len(kinds(rec.Events(), observe.Preempted)); n != 0 {
		t.Fatalf("disabled: %d preemptions", n)
	}

	p, _, _ := prePool(t, 5, 100, 2)
	runJob(t, p, "g1", "background")
	other := ctask("m1", "interactive")
	other.Model.ModelID = "other-model"
	admit(t, p, other) // ENGINE_MISMATCH on every replica
	unplaced(t, p, "a head of another model")
	if _, err := p.Cancel("m1"); err != nil {
		t.Fatal(err)
	}
	notReady := snapOf(rep("r1", 1000, func(r *scheduling.Replica) { r.Ready = false }))
	admit(t, p, ctask("i1", "interactive"))
	if d, ok := p.Next(notReady); ok || d.Outcome != core.Unplaced || d.Reason != scheduling.CodePoolUnready {
		t.Fatalf("no Ready replica: %v %s %s, want unplaced POOL_UNREADY", ok, d.Outcome, d.Reason)
	}
	busy := snapOf(rep("r1", 1000, func(r *scheduling.Replica) { r.Sampled, r.KVPermille = true, 1001 }))
	if d, ok := p.Next(busy); ok || d.Outcome != core.Preempted || d.Reason != scheduling.CodeSaturated || d.TaskID != "g1" {
		t.Fatalf("saturated: %v %s %s %s, want preempted g1 for SATURATED", ok, d.Outcome, d.Reason, d.TaskID)
	}

	// A victim must run in the head's scope with its model: a job pinned
	// to pool p2 and one of another model are left alone.
	q, _, _ := prePool(t, 5, 100, 2, func(c *core.Config) { c.Placement.AllowPin = true })
	pinned := ctask("g2", "background")
	pinned.Pin = "p2"
	admit(t, q, pinned)
	two := snapOf(rep("r2", 1000, func(r *scheduling.Replica) { r.PoolID, r.Devices, r.ReplicaSet = "p2", []int{7}, "rs-b" }))
	if _, ok := q.Next(two); !ok {
		t.Fatal("pinned g2 not placed in p2")
	}
	m := ctask("m2", "background")
	m.Model.ModelID = "other-model"
	admit(t, q, m)
	if _, ok := q.Next(snapOf(rep("r3", 1000, func(r *scheduling.Replica) { r.ModelID, r.ReplicaSet = "other-model", "rs-c" }))); !ok {
		t.Fatal("m2 not placed")
	}
	admit(t, q, ctask("i1", "interactive"))
	unplaced(t, q, "the only lower-ranked jobs run in another pool or serve another model")
}

// TestPreemptedTaskTTL: the queue-wait deadline of a task put back runs
// from the preemption, and the task queued behind it still expires on its
// own, earlier, deadline.
func TestPreemptedTaskTTL(t *testing.T) {
	t.Attr("req", "OC-CORE-1057")
	p, rec, clk := prePool(t, 5, 100, 2, func(c *core.Config) { c.Classes[2].TTLMs = 100 })
	runJob(t, p, "g1", "background")
	clk.Set(10)
	admit(t, p, ctask("g2", "background")) // deadline 110
	admit(t, p, ctask("i1", "interactive"))
	clk.Set(50)
	preempted(t, p, "g1", "g1#1", "i1") // g1's deadline: 150
	clk.Set(110)
	p.Tick()
	state(t, p, "g2", core.Expired)
	state(t, p, "g1", core.Queued)
	clk.Set(149)
	p.Tick()
	state(t, p, "g1", core.Queued)
	clk.Set(150)
	p.Tick()
	state(t, p, "g1", core.Expired)
	ex := kinds(filterTask(rec.Events(), "g1"), observe.Expired)
	if len(ex) != 1 || ex[0].Attempt != 1 || ex[0].QueueTimeMs != 100 || ex[0].Reason != core.ReasonClassTTL {
		t.Fatalf("g1 expired events %+v, want one with attempt 1, queue time 100, CLASS_TTL", ex)
	}
	if err := core.CheckHistories(filterTask(rec.Events(), "g1", "g2")); err != nil {
		t.Fatal(err)
	}
}

// TestPreemptionConfig: enabled with a zero window or budget is refused
// by New and by FromConfig, naming the field; disabled ignores them.
func TestPreemptionConfig(t *testing.T) {
	t.Attr("req", "OC-CORE-1057")
	bad := []core.Preemption{
		{Enabled: true, MaxPerWindow: 1, WindowMs: 0},
		{Enabled: true, MaxPerWindow: 0, WindowMs: 10},
		{Enabled: true, MaxPerWindow: -1, WindowMs: 10},
		{Enabled: true, MaxPerWindow: core.MaxPreemptionsPerWindow + 1, WindowMs: 10},
	}
	for _, pr := range bad {
		_, err := core.New(core.Config{ID: "p", Classes: classes(1), Preemption: pr})
		if core.CodeOf(err) != core.InvalidParams {
			t.Errorf("New with %+v: %v, want INVALID_PARAMS", pr, err)
		}
	}
	if _, err := core.New(core.Config{ID: "p", Classes: classes(1), Preemption: core.Preemption{MaxPerWindow: 0}}); err != nil {
		t.Errorf("disabled preemption refused: %v", err)
	}
	c := &config.Config{Version: 1, Pools: []config.Pool{{ID: "p1", ModelID: llama}},
		Placement: config.Placement{Preemption: config.Preemption{Enabled: true, MaxPerWindow: 1}}}
	_, err := core.FromConfig(c, "p1")
	if core.CodeOf(err) != core.InvalidParams || !containsStr(err.Error(), "placement.preemption.window_ms") {
		t.Fatalf("FromConfig with window_ms 0: %v", err)
	}
	c.Placement.Preemption.WindowMs = 100
	p, err := core.FromConfig(c, "p1", core.WithObserver(&core.Recorder{}))
	if err != nil {
		t.Fatal(err)
	}
	// The configuration reaches the pool: a background job is preempted.
	tk := ctask("g1", "background")
	admit(t, p, tk)
	fr := snapOf(rep("r1", 1000, func(r *scheduling.Replica) { r.ModelID = llama }))
	if _, ok := p.Next(fr); !ok {
		t.Fatal("g1 not placed")
	}
	admit(t, p, ctask("i1", "interactive"))
	if d, _ := p.Next(full); d.Outcome != core.Preempted || d.TaskID != "g1" {
		t.Fatalf("FromConfig pool: %s %s, want g1 preempted", d.Outcome, d.TaskID)
	}
}

func containsStr(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

// TestCheckHistoriesPreempted: the lifecycle checker accepts the
// preempted paths and refuses a preemption of a task not running and a
// failure after a preemption with another reason.
func TestCheckHistoriesPreempted(t *testing.T) {
	t.Attr("req", "OC-CORE-1057")
	ev := func(k observe.Kind, reason string) observe.Event {
		return observe.Event{Kind: k, TaskID: "t", Reason: reason}
	}
	A, D, P, F, C := observe.Admitted, observe.Dispatched, observe.Preempted, observe.Failed, observe.Completed
	good := [][]observe.Event{
		{ev(A, ""), ev(D, ""), ev(P, "PREEMPTED"), ev(D, ""), ev(C, "")},
		{ev(A, ""), ev(D, ""), ev(P, "PREEMPTED"), ev(F, "PREEMPTED")},
		{ev(A, ""), ev(D, ""), ev(P, "PREEMPTED"), ev(observe.Canceled, "CANCELED_QUEUED")},
		{ev(A, ""), ev(D, ""), ev(P, "PREEMPTED"), ev(observe.Expired, "CLASS_TTL")},
	}
	for i, h := range good {
		if err := core.CheckHistories(h); err != nil {
			t.Errorf("good history %d refused: %v", i, err)
		}
	}
	bad := [][]observe.Event{
		{ev(A, ""), ev(P, "PREEMPTED"), ev(observe.Canceled, "")},
		{ev(A, ""), ev(D, ""), ev(P, "PREEMPTED"), ev(F, "OOM")},
		{ev(A, ""), ev(D, ""), ev(P, "PREEMPTED")},
		{ev(A, ""), ev(D, ""), ev(P, "PREEMPTED"), ev(C, "")},
		{ev(A, ""), ev(D, ""), ev(P, "PREEMPTED"), ev(F, "PREEMPTED"), ev(D, "")},
	}
	for i, h := range bad {
		if err := core.CheckHistories(h); err == nil {
			t.Errorf("bad history %d accepted", i)
		}
	}
}

// TestPreemptedOverCapacity: a task put back may take its class over its
// capacity; the next admission into that class finds it full and applies
// its policy: reject refuses, drop-lru evicts the oldest tasks (the one put
// back first) until the newcomer fits.
func TestPreemptedOverCapacity(t *testing.T) {
	t.Attr("req", "OC-CORE-1057")
	for _, pol := range []queue.Policy{queue.Reject, queue.DropLRU} {
		p, rec, _ := prePool(t, 5, 100, 2, func(c *core.Config) { c.Classes, c.Admission = classes(2), pol })
		runJob(t, p, "g1", "background")
		admit(t, p, ctask("g2", "background"), ctask("g3", "background"), ctask("i1", "interactive"))
		preempted(t, p, "g1", "g1#1", "i1")
		if got := p.Queue("background"); !slices.Equal(got, []string{"g1", "g2", "g3"}) {
			t.Fatalf("%v: background %v, want g1 g2 g3 (one over its capacity of 2)", pol, got)
		}
		a, err := p.Admit(ctask("g4", "background"))
		switch pol {
		case queue.Reject:
			if core.CodeOf(err) != core.QueueFull {
				t.Fatalf("reject: admission into the over-full class: %v", err)
			}
		case queue.DropLRU:
			if err != nil || !slices.Equal(a.Evicted, []string{"g1", "g2"}) {
				t.Fatalf("drop-lru: evicted %v, %v; want g1 g2", a.Evicted, err)
			}
			state(t, p, "g1", core.Dropped)
		}
		for _, id := range []string{"g1", "g2", "g3", "g4", "i1"} {
			p.Cancel(id)
		}
		if err := core.CheckHistories(rec.Events()); err != nil {
			t.Fatalf("%v: %v", pol, err)
		}
	}
}
