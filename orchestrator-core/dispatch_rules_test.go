package core_test

import (
	"maps"
	"slices"
	"testing"

	"orchcore.dev/contracts/config-schema/config"
	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/backoff"
	"orchcore.dev/orchestrator-core/determinism"
	"orchcore.dev/orchestrator-core/observe"
	"orchcore.dev/orchestrator-core/queue"
	"orchcore.dev/orchestrator-core/scheduling"
)

// max_inflight holds at dispatch too: a head whose tenant is at its limit
// stays at the head of its class (FIFO: the task behind it waits too),
// with reason QUOTA_EXCEEDED, while other classes are served.
func TestNextHoldsTenantAtInFlightQuota(t *testing.T) {
	t.Attr("req", "OC-CORE-1009")
	t.Attr("req", "OC-CORE-1004")
	p, rec, _ := newPool(t, func(c *core.Config) {
		c.Quotas = []queue.Quota{{Tenant: "*", MaxInFlight: 1}}
		c.Classes = classes(4)
	})
	other := mtask("o1")
	other.Tenant = "other"
	g := mtask("g1")
	g.Class, g.Tenant = "background", "third"
	admit(t, p, mtask("a"), mtask("b"), other)
	snap := snapOf(rep("r1", 500))
	if d, ok := p.Next(snap); !ok || d.Job.Task.ID != "a" {
		t.Fatalf("first Next = %+v", d)
	}
	n := len(rec.Events())
	d, ok := p.Next(snap)
	if ok || d.Outcome != core.Unplaced || d.TaskID != "b" || d.Reason != "QUOTA_EXCEEDED" {
		t.Fatalf("Next with acme at max_inflight = %+v, %v", d, ok)
	}
	if got := noCapacity(rec.Events()[n:]); !slices.Equal(got, []string{"b QUOTA_EXCEEDED"}) {
		t.Fatalf("no_capacity events %v", got)
	}
	if _, f := p.Usage("acme"); f != 1 {
		t.Fatalf("acme in flight %d, max_inflight 1", f)
	}
	if q := p.Queue("batch"); !slices.Equal(q, []string{"b", "o1"}) {
		t.Fatalf("batch holds %v, want [b o1] (FIFO within the class)", q)
	}
	admit(t, p, g) // another class is not held back by b
	if d, ok := p.Next(snap); !ok || d.Job.Task.ID != "g1" {
		t.Fatalf("Next = %+v, want g1 past the held head b", d)
	}
	if err := p.Complete("a"); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"b", "o1"} {
		if d, ok := p.Next(snap); !ok || d.Job.Task.ID != want {
			t.Fatalf("Next = %+v, want %s", d, want)
		}
	}
}

// An unplaceable head does not stall the pool: the other classes are
// served in fairness order and the head keeps its place.
func TestNextInfeasibleHeadDoesNotStall(t *testing.T) {
	t.Attr("req", "OC-CORE-1006")
	t.Attr("req", "OC-CORE-1004")
	p, rec, _ := newPool(t, nil)
	bad := mtask("bad")
	bad.Class, bad.Model.ModelID = "interactive", "not-served"
	admit(t, p, bad, mtask("g0"), mtask("g1"))
	snap := snapOf(rep("r1", 500))
	var placed []string
	for range 4 {
		if d, ok := p.Next(snap); ok {
			placed = append(placed, d.Job.Task.ID)
		}
	}
	if !slices.Equal(placed, []string{"g0", "g1"}) {
		t.Fatalf("placed %v, want [g0 g1]", placed)
	}
	if q := p.Queue("interactive"); !slices.Equal(q, []string{"bad"}) {
		t.Fatalf("interactive holds %v", q)
	}
	if got := noCapacity(rec.Events()); len(got) != 4 || got[0] != "bad ENGINE_MISMATCH" {
		t.Fatalf("no_capacity events %v, want one per Next for bad", got)
	}
}

// A due retry that cannot be placed (its replica set is gone) keeps
// waiting but never holds back the later retries.
func TestRetryUnplacedDoesNotBlockOthers(t *testing.T) {
	t.Attr("req", "OC-CORE-1025")
	t.Attr("req", "OC-CORE-1031")
	p, _, clk := newPool(t, func(c *core.Config) {
		c.Retry = backoff.Config{BaseMs: 0, CapMs: 0, MaxRetries: 3}
	})
	setB := func(r *scheduling.Replica) { r.ReplicaSet, r.EngineVersion = "rs-b", "b4200" }
	admit(t, p, mtask("a"))
	p.Next(snapOf(rep("r1", 500))) // a on rs-a
	admit(t, p, mtask("b"))
	p.Next(snapOf(rep("r2", 500, setB))) // b on rs-b
	p.Fail("a", "X")
	p.Fail("b", "X")
	clk.Advance(10)
	snap := snapOf(rep("r2", 500, setB)) // rs-a is gone
	d, ok := p.Next(snap)
	if !ok || d.Job.ID != "b#2" {
		t.Fatalf("Next = %+v, want b#2 past a's unplaceable retry", d)
	}
	state(t, p, "a", core.Retrying)
	if d, ok := p.Next(snapOf(rep("r1", 500))); !ok || d.Job.ID != "a#2" {
		t.Fatalf("Next = %+v, want a#2 once rs-a is back", d)
	}
}

// An unpinned task is placed only in its own pool's scope, never on a
// replica of another configured pool; other pools stay pin targets.
func TestUnpinnedStaysInOwnPool(t *testing.T) {
	t.Attr("req", "OC-CORE-1011")
	cfg := &config.Config{Version: 1, Placement: config.Placement{AllowPin: true}, Pools: []config.Pool{
		{ID: "p1", ModelID: llama, DeviceMask: []int{0}},
		{ID: "p2", ModelID: llama, DeviceMask: []int{7}},
	}}
	inP2 := func(r *scheduling.Replica) { r.PoolID, r.Devices = "p2", []int{7} }
	t.Run("configured pools", func(t *testing.T) {
		t.Attr("req", "OC-CORE-1011")
		p, err := core.FromConfig(cfg, "p1")
		if err != nil {
			t.Fatal(err)
		}
		admit(t, p, mtask("a"))
		snap := scheduling.Snapshot{Replicas: []scheduling.Replica{rep("r-p2", 900, inP2)}}
		if d, ok := p.Next(snap); ok || d.Decision.CandidatesTotal != 0 {
			t.Fatalf("unpinned task of p1 went to p2: %+v", d)
		}
		pinned := mtask("pinned")
		pinned.Pin = "p2"
		p.Cancel("a")
		admit(t, p, pinned)
		if d, ok := p.Next(snap); !ok || d.Job.PoolID != "p2" {
			t.Fatalf("pin to p2 = %+v", d)
		}
		admit(t, p, mtask("b"))
		own := rep("r-p1", 100, func(r *scheduling.Replica) { r.Devices = []int{0} })
		snap.Replicas = append(snap.Replicas, own)
		if d, ok := p.Next(snap); !ok || d.Job.Replica != "r-p1" {
			t.Fatalf("Next = %+v, want r-p1 (the only replica of p1)", d)
		}
	})
	t.Run("snapshot pools", func(t *testing.T) {
		t.Attr("req", "OC-CORE-1011")
		p, _, _ := newPool(t, nil) // pool p1, no configured scopes
		admit(t, p, mtask("a"), mtask("b"))
		snap := snapOf(rep("r-p2", 900, inP2)) // lists p1 and p2
		if d, ok := p.Next(snap); ok || d.Decision.CandidatesTotal != 0 {
			t.Fatalf("unpinned task of p1 went to p2: %+v", d)
		}
		// The snapshot's entry for p1 is the scope: its mask applies.
		snap.Pools[0].DeviceMask = []int{0}
		snap.Replicas = append(snap.Replicas, rep("r-p1", 100, func(r *scheduling.Replica) { r.Devices = []int{3} }))
		if d, ok := p.Next(snap); ok || d.Decision.Reason != scheduling.DeviceMaskMismatch || d.Decision.CandidatesTotal != 1 {
			t.Fatalf("Next = %+v, want DEVICE_MASK_MISMATCH on r-p1 only", d)
		}
		snap.Replicas[1].Devices = []int{0}
		if d, ok := p.Next(snap); !ok || d.Job.Replica != "r-p1" {
			t.Fatalf("Next = %+v, want r-p1", d)
		}
	})
}

// A pinned pool whose replicas all fail the replica-set check is not
// refused: the task waits with REPLICA_SET_MISMATCH and the count.
func TestPinAllMismatchedWaits(t *testing.T) {
	t.Attr("req", "OC-CORE-1019")
	t.Attr("req", "OC-CORE-1031")
	reg := determinism.NewRegistry()
	if err := reg.Declare("rs-a", determinism.Versions{Engine: "llamacpp", EngineVersion: "b4100",
		SamplerProfileVersion: "sp1", ModelDigest: "sha256:aa"}); err != nil {
		t.Fatal(err)
	}
	p, rec, _ := newPool(t, func(c *core.Config) { c.Placement.AllowPin = true; c.ReplicaSets = reg })
	x := mtask("x")
	x.Pin = "p1"
	admit(t, p, x)
	drift := func(r *scheduling.Replica) { r.EngineVersion = "b4101" }
	d, ok := p.Next(snapOf(rep("r1", 500, drift), rep("r2", 500, drift)))
	if ok || d.Outcome != core.Unplaced || d.Reason != "REPLICA_SET_MISMATCH" || d.Mismatched != 2 || d.Err != nil {
		t.Fatalf("Next = %+v, want unplaced REPLICA_SET_MISMATCH with 2 mismatched", d)
	}
	state(t, p, "x", core.Queued)
	ev := lastEvent(rec)
	if ev.Kind != observe.NoCapacity || ev.Reason != "REPLICA_SET_MISMATCH" || !ev.Pinned ||
		ev.Placement == nil || ev.Placement.CandidatesTotal != 2 {
		t.Fatalf("event %+v", ev)
	}
	// A pinned pool with no replica at all is still POOL_UNREADY.
	y := mtask("y")
	y.Pin, y.Class = "p2", "interactive"
	admit(t, p, y)
	if d, _ := p.Next(snapOf(rep("r1", 500, drift))); d.Outcome != core.Refused || core.CodeOf(d.Err) != core.PoolUnready {
		t.Fatalf("pin to empty p2 = %+v", d)
	}
	if d, ok := p.Next(snapOf(rep("r1", 500))); !ok || d.Job.ID != "x#1" {
		t.Fatalf("Next = %+v, want x placed once r1 agrees with rs-a", d)
	}
}

// Rejected and Dropped events carry the engine; only QUEUE_FULL refusals
// and drops carry the admission policy (backpressure), quota and
// guardrail refusals do not.
func TestRefusalEventsEngineAndPolicy(t *testing.T) {
	t.Attr("req", "OC-CORE-1041")
	p, rec, _ := newPool(t, func(c *core.Config) {
		c.Quotas = []queue.Quota{{Tenant: "quota", MaxQueued: 1}}
		c.Classes, c.Capacity = classes(1), 0
	})
	task := func(id, class, tenant string) core.Task {
		t := mtask(id)
		t.Class, t.Tenant, t.Model.Engine = class, tenant, "llamacpp"
		return t
	}
	ctx := task("ctx", "batch", "acme")
	ctx.Model.CtxMax = scheduling.Some(100)
	p.Admit(ctx)                                // CTX_EXCEEDED
	admit(t, p, task("q1", "batch", "quota"))   // fills quota's max_queued
	p.Admit(task("q2", "interactive", "quota")) // QUOTA_EXCEEDED
	p.Admit(task("full", "batch", "acme"))      // QUEUE_FULL (reject policy)
	want := map[string]string{"ctx": "CTX_EXCEEDED ", "q2": "QUOTA_EXCEEDED ", "full": "QUEUE_FULL reject"}
	got := map[string]string{}
	for _, e := range rec.Events() {
		if e.Kind == observe.Rejected {
			if e.Engine != "llamacpp" {
				t.Errorf("rejected %s: engine %q", e.TaskID, e.Engine)
			}
			got[e.TaskID] = e.Reason + " " + e.Policy
		}
	}
	if !maps.Equal(got, want) {
		t.Fatalf("rejections %v, want %v", got, want)
	}

	d, rec2, _ := newPool(t, func(c *core.Config) { c.Classes, c.Admission = classes(1), queue.DropLRU })
	admit(t, d, task("old", "batch", "acme"), task("new", "batch", "acme"))
	ev := lastEvent(rec2)
	for _, e := range rec2.Events() {
		if e.Kind == observe.Dropped {
			ev = e
		}
	}
	if ev.Kind != observe.Dropped || ev.TaskID != "old" || ev.Engine != "llamacpp" || ev.Policy != "drop-lru" {
		t.Fatalf("dropped event %+v", ev)
	}
}
