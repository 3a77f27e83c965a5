package core_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/backoff"
	"orchcore.dev/orchestrator-core/determinism"
	"orchcore.dev/orchestrator-core/observe"
	"orchcore.dev/orchestrator-core/scheduling"
)

// lastEvent returns the last recorded event.
func lastEvent(rec *core.Recorder) observe.Event {
	evs := rec.Events()
	return evs[len(evs)-1]
}

func TestNextOnlyReady(t *testing.T) {
	t.Attr("req", "OC-CORE-1010")
	p, rec, _ := newPool(t, nil)
	admit(t, p, mtask("a"), mtask("b"))
	notReady := func(r *scheduling.Replica) { r.Ready = false }
	// The most attractive replica is not Ready: it never gets the job.
	snap := snapOf(rep("big", 9000, notReady), rep("small", 100))
	d, ok := p.Next(snap)
	if !ok || d.Job.Replica != "small" {
		t.Fatalf("Next = %+v", d)
	}
	// small turns not-Ready: from this snapshot on it receives nothing.
	snap = snapOf(rep("big", 9000, notReady), rep("small", 100, notReady))
	d, ok = p.Next(snap)
	if ok || d.Outcome != core.Unplaced || d.Decision.Reason != scheduling.PoolUnready {
		t.Fatalf("Next with no Ready replica = %+v", d)
	}
	state(t, p, "b", core.Queued)
	if ev := lastEvent(rec); ev.Kind != observe.NoCapacity || ev.Reason != "POOL_UNREADY" {
		t.Fatalf("event %+v", ev)
	}
}

func TestNextPin(t *testing.T) {
	t.Attr("req", "OC-CORE-1018")
	t.Attr("req", "OC-CORE-1019")
	inP2 := func(r *scheduling.Replica) { r.PoolID, r.Devices = "p2", []int{7} }
	snap := snapOf(rep("best-p1", 9000), rep("r-p2", 10, inP2))
	pinned := func(id, pool string) core.Task {
		tk := mtask(id)
		tk.Pin = pool
		return tk
	}
	allow := func(c *core.Config) { c.Placement.AllowPin = true }

	t.Run("placed in the pinned pool only", func(t *testing.T) {
		t.Attr("req", "OC-CORE-1018")
		p, rec, _ := newPool(t, allow)
		admit(t, p, pinned("a", "p2"))
		d, ok := p.Next(snap)
		if !ok || d.Job.Replica != "r-p2" || !d.Job.Pinned || d.Decision.CandidatesTotal != 1 {
			t.Fatalf("pinned Next = %+v", d)
		}
		if ev := lastEvent(rec); ev.Kind != observe.Dispatched || !ev.Pinned || ev.ReplicaID != "r-p2" {
			t.Fatalf("event %+v", ev)
		}
		// The pinned pool is full: the task waits; p1 is never used.
		admit(t, p, pinned("b", "p2"))
		full := snapOf(rep("best-p1", 9000), rep("r-p2", 10, inP2, func(r *scheduling.Replica) { r.ActiveSlots = 4 }))
		d, ok = p.Next(full)
		if ok || d.Outcome != core.Unplaced || d.Decision.Reason != scheduling.NoCapacity || !d.Decision.Pinned {
			t.Fatalf("full pinned pool: %+v", d)
		}
		state(t, p, "b", core.Queued)
	})
	refusals := []struct {
		name string
		mod  func(*core.Config)
		pool string
		snap scheduling.Snapshot
		code core.Code
	}{
		{"pinning disabled", nil, "p2", snap, core.InvalidParams},
		{"unknown pool", allow, "p9", snap, core.InvalidParams},
		{"no Ready replica", allow, "p2", snapOf(rep("best-p1", 9000), rep("r-p2", 10, inP2, func(r *scheduling.Replica) { r.Ready = false })), core.PoolUnready},
	}
	for _, c := range refusals {
		t.Run(c.name, func(t *testing.T) {
			t.Attr("req", "OC-CORE-1019")
			p, rec, _ := newPool(t, c.mod)
			admit(t, p, pinned("a", c.pool), mtask("b"))
			d, ok := p.Next(c.snap)
			if ok || d.Outcome != core.Refused || d.TaskID != "a" || core.CodeOf(d.Err) != c.code {
				t.Fatalf("Next = %+v, want Refused %s", d, c.code)
			}
			state(t, p, "a", core.Rejected)
			if ev := lastEvent(rec); ev.Kind != observe.Rejected || ev.Reason != string(c.code) || !ev.Pinned {
				t.Fatalf("event %+v", ev)
			}
			// No fallback: the next Next serves b, never a.
			d, ok = p.Next(c.snap)
			if !ok || d.Job.Task.ID != "b" {
				t.Fatalf("after the refusal Next = %+v", d)
			}
			p.Complete("b")
			if err := core.CheckHistories(rec.Events()); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// When nothing fits, the decision and the event carry the reason, the
// totals and the count per reason; the task stays at the head.
func TestNextNoCapacityCounts(t *testing.T) {
	t.Attr("req", "OC-CORE-1042")
	p, rec, _ := newPool(t, nil)
	tk := mtask("a")
	tk.Model.CtxMax = scheduling.Some(4096)
	tk.Model.Extensions = []string{"tools"}
	admit(t, p, tk, mtask("b"))
	snap := snapOf(
		rep("busy1", 500, func(r *scheduling.Replica) { r.ActiveSlots, r.Features = 4, []string{"tools"} }),
		rep("busy2", 400, func(r *scheduling.Replica) { r.ActiveSlots, r.Features = 4, []string{"tools"} }),
		rep("short", 900, func(r *scheduling.Replica) { r.CtxMaxSupported = 2048 }),
		rep("notools", 900),
		rep("down", 900, func(r *scheduling.Replica) { r.Ready = false }),
		rep("masked", 900, func(r *scheduling.Replica) { r.Devices = []int{3} }),
		rep("elsewhere", 900, func(r *scheduling.Replica) { r.PoolID = "p2" }), // not p1's scope
		rep("other", 900, func(r *scheduling.Replica) { r.ModelID = "mistral" }),
		rep("drift", 900, func(r *scheduling.Replica) { r.EngineVersion = "b9999" }), // not rs-a's version
	)
	snap.Pools[0].DeviceMask = []int{0}
	for i := range snap.Replicas {
		if snap.Replicas[i].Devices == nil {
			snap.Replicas[i].Devices = []int{0}
		}
	}
	for range 2 { // the same snapshot gives the same decision
		d, ok := p.Next(snap)
		if ok || d.Outcome != core.Unplaced || d.TaskID != "a" {
			t.Fatalf("Next = %+v", d)
		}
		var want [scheduling.NumReasons]int
		want[scheduling.NoCapacity] = 2
		want[scheduling.InsufficientCtx] = 1
		want[scheduling.ExtensionsUnsatisfied] = 1
		want[scheduling.PoolUnready] = 1
		want[scheduling.DeviceMaskMismatch] = 1
		want[scheduling.EngineMismatch] = 1
		if d.Decision.Reason != scheduling.NoCapacity || d.Decision.CandidatesTotal != 7 ||
			d.Decision.CandidatesFeasible != 0 || d.Decision.Filtered != want || d.Mismatched != 1 {
			t.Fatalf("decision %+v mismatched %d", d.Decision, d.Mismatched)
		}
		ev := lastEvent(rec)
		wantPl := &observe.Placement{CandidatesTotal: 8, CandidatesFeasible: 0, Filtered: []observe.ReasonCount{
			{Reason: "DEVICE_MASK_MISMATCH", Count: 1}, {Reason: "ENGINE_MISMATCH", Count: 1},
			{Reason: "EXTENSIONS_UNSATISFIED", Count: 1}, {Reason: "INSUFFICIENT_CTX", Count: 1},
			{Reason: "NO_CAPACITY", Count: 2}, {Reason: "POOL_UNREADY", Count: 1},
			{Reason: "REPLICA_SET_MISMATCH", Count: 1},
		}}
		if ev.Kind != observe.NoCapacity || ev.Reason != "NO_CAPACITY" || ev.TaskID != "a" {
			t.Fatalf("event %+v", ev)
		}
		if diff := cmp.Diff(wantPl, ev.Placement); diff != "" {
			t.Fatalf("placement (-want +got):\n%s", diff)
		}
		if got := p.Queue("batch"); !cmp.Equal(got, []string{"a", "b"}) {
			t.Fatalf("queue %v: the task must stay at the head", got)
		}
	}
}

func TestNextAffinity(t *testing.T) {
	t.Attr("req", "OC-CORE-1013")
	p, rec, _ := newPool(t, nil)
	one := func(id string) core.Task {
		tk := mtask(id)
		tk.SessionID = "chat"
		return tk
	}
	admit(t, p, one("t1"))
	snap := snapOf(rep("r1", 500), rep("r2", 400))
	d, _ := p.Next(snap)
	if d.Job.Replica != "r1" || d.Job.KVWarmth || d.Job.Fallback {
		t.Fatalf("first job of a session %+v", d.Job)
	}
	if err := p.Complete("t1"); err != nil {
		t.Fatal(err)
	}
	// r2 now has more free VRAM, but the session stays on r1.
	admit(t, p, one("t2"))
	d, _ = p.Next(snapOf(rep("r1", 100), rep("r2", 900)))
	if d.Job.Replica != "r1" || !d.Job.KVWarmth || d.Job.Fallback {
		t.Fatalf("second job %+v, want r1 warm", d.Job)
	}
	if ev := lastEvent(rec); !ev.KVWarmth || ev.Fallback {
		t.Fatalf("event %+v", ev)
	}
	p.Complete("t2")
	// r1 is full: the session moves, reported with kv_warmth=false.
	admit(t, p, one("t3"))
	d, _ = p.Next(snapOf(rep("r1", 100, func(r *scheduling.Replica) { r.ActiveSlots = 4 }), rep("r2", 900)))
	if d.Job.Replica != "r2" || d.Job.KVWarmth || !d.Job.Fallback {
		t.Fatalf("moved job %+v, want r2 cold with fallback", d.Job)
	}
	if ev := lastEvent(rec); ev.KVWarmth || !ev.Fallback {
		t.Fatalf("event %+v", ev)
	}
}

// A retry stays in the replica set of the first job, even when another
// set has a better replica; a replica whose versions differ from its
// set's is never chosen.
func TestNextReplicaSets(t *testing.T) {
	t.Attr("req", "OC-CORE-1031")
	reg := determinism.NewRegistry()
	if err := reg.Declare("rs-a", determinism.Versions{Engine: "llamacpp", EngineVersion: "b4100",
		SamplerProfileVersion: "sp1", ModelDigest: "sha256:aa"}); err != nil {
		t.Fatal(err)
	}
	p, rec, clk := newPool(t, func(c *core.Config) {
		c.ReplicaSets = reg
		c.Retry = backoff.Config{BaseMs: 10, CapMs: 10, MaxRetries: 3, Seed: 1}
	})
	setB := func(r *scheduling.Replica) { r.ReplicaSet, r.EngineVersion = "rs-b", "b5000" }
	admit(t, p, mtask("a"))
	d, _ := p.Next(snapOf(rep("a1", 500), rep("b1", 100, setB)))
	if d.Job.Replica != "a1" || d.Job.ReplicaSet != "rs-a" {
		t.Fatalf("first job %+v", d.Job)
	}
	if err := p.Fail("a", "ENGINE_ERROR"); err != nil {
		t.Fatal(err)
	}
	state(t, p, "a", core.Retrying)
	clk.Advance(10)
	// Only set B has room now: the retry waits instead of crossing.
	busy := func(r *scheduling.Replica) { r.ActiveSlots = 4 }
	d, ok := p.Next(snapOf(rep("a1", 500, busy), rep("b1", 9000, setB)))
	if ok || d.Outcome != core.Unplaced || d.Decision.CandidatesTotal != 1 {
		t.Fatalf("retry crossed sets or was not tried: %+v", d)
	}
	state(t, p, "a", core.Retrying)
	// A replica claiming rs-a with other versions is never chosen.
	drift := func(r *scheduling.Replica) { r.SamplerProfileVersion = "sp2" }
	d, ok = p.Next(snapOf(rep("a1", 500, busy), rep("a2", 9000, drift), rep("b1", 9000, setB)))
	if ok || d.Mismatched != 1 {
		t.Fatalf("mismatched replica chosen or not counted: %+v", d)
	}
	d, ok = p.Next(snapOf(rep("a1", 500, busy), rep("a3", 50), rep("b1", 9000, setB)))
	if !ok || d.Job.Replica != "a3" || d.Job.ReplicaSet != "rs-a" || d.Job.ID != "a#2" || d.Job.Attempt != 2 {
		t.Fatalf("retry %+v, want a#2 on a3 in rs-a", d.Job)
	}
	p.Complete("a")
	// Decision.Index points into the caller's snapshot, past the replica
	// the set check left out.
	admit(t, p, mtask("c"))
	d, ok = p.Next(snapOf(rep("a2", 9000, drift), rep("a3", 50)))
	if !ok || d.Job.Replica != "a3" || d.Decision.Index != 1 || d.Mismatched != 1 {
		t.Fatalf("Next = %+v", d)
	}
	p.Complete("c")
	if err := core.CheckHistories(rec.Events()); err != nil {
		t.Fatal(err)
	}
}

// A new engine_version or model_digest is a new replica set: a replica
// without a set id is put in the set its versions define, and a retry
// never moves to a replica that changed versions.
func TestNextNewVersionNewSet(t *testing.T) {
	t.Attr("req", "OC-CORE-1032")
	p, _, clk := newPool(t, func(c *core.Config) {
		c.Retry = backoff.Config{BaseMs: 5, CapMs: 5, MaxRetries: 2, Seed: 9}
	})
	noSet := func(r *scheduling.Replica) { r.ReplicaSet = "" }
	upgraded := func(r *scheduling.Replica) { r.EngineVersion = "b4200" }
	newWeights := func(r *scheduling.Replica) { r.ModelDigest = "sha256:bb" }
	admit(t, p, mtask("a"))
	d, _ := p.Next(snapOf(rep("r1", 500, noSet)))
	first := d.Job.ReplicaSet
	want := determinism.Key(determinism.Versions{Engine: "llamacpp", EngineVersion: "b4100", SamplerProfileVersion: "sp1", ModelDigest: "sha256:aa"})
	if first != want {
		t.Fatalf("set %q, want the key of the versions %q", first, want)
	}
	p.Fail("a", "OOM")
	clk.Advance(5)
	for _, mod := range []func(*scheduling.Replica){upgraded, newWeights} {
		d, ok := p.Next(snapOf(rep("r1", 500, noSet, mod)))
		if ok || d.Decision.CandidatesTotal != 0 {
			t.Fatalf("retry placed on a replica of another set: %+v", d)
		}
	}
	// A fresh task may use the upgraded replica: it is a set of its own.
	p.Cancel("a")
	admit(t, p, mtask("b"))
	d, ok := p.Next(snapOf(rep("r1", 500, noSet, upgraded)))
	if !ok || d.Job.ReplicaSet == first || d.Job.EngineVersion != "b4200" {
		t.Fatalf("upgraded replica: %+v", d.Job)
	}
}

func TestSeedPolicy(t *testing.T) {
	t.Attr("req", "OC-CORE-1034")
	p, rec, _ := newPool(t, func(c *core.Config) {
		c.Retry = backoff.Config{MaxRetries: 1}
	})
	given := mtask("given")
	given.Seed, given.HasSeed = 0, true // zero is a valid client seed
	a, err := p.Admit(given)
	if err != nil || a.Seed != (determinism.Seed{Value: 0}) {
		t.Fatalf("client seed: %+v, %v", a.Seed, err)
	}
	a, err = p.Admit(mtask("auto"))
	if err != nil || a.Seed != (determinism.Seed{Value: fnv64a("p1\x00auto"), Assigned: true}) {
		t.Fatalf("assigned seed: %+v, %v", a.Seed, err)
	}
	snap := snapOf(rep("r1", 500))
	seeds := map[string]uint64{}
	for range 2 {
		d, _ := p.Next(snap)
		seeds[d.Job.ID] = d.Job.Seed.Value
	}
	// The retry carries the same seed.
	p.Fail("auto", "ENGINE_ERROR")
	d, _ := p.Next(snap)
	seeds[d.Job.ID] = d.Job.Seed.Value
	want := map[string]uint64{"given#1": 0, "auto#1": fnv64a("p1\x00auto"), "auto#2": fnv64a("p1\x00auto")}
	if diff := cmp.Diff(want, seeds); diff != "" {
		t.Fatalf("job seeds (-want +got):\n%s", diff)
	}
	for _, ev := range rec.Events() {
		if ev.Kind == observe.Dispatched && ev.Seed != want[ev.JobID] {
			t.Fatalf("event %s seed %d", ev.JobID, ev.Seed)
		}
	}
}
