package core_test

import (
	"slices"
	"testing"

	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/backoff"
	"orchcore.dev/orchestrator-core/scheduling"
)

// TestGarbageReplicasGetNoJob: snapshot entries that cannot be trusted are
// filtered as REPLICA_INVALID and counted; the job goes to the one sound
// replica whatever the snapshot order. Before, a replica with
// ActiveSlots=-1 and SlotsTotal=0 received a job, and so did one with an
// empty id.
func TestGarbageReplicasGetNoJob(t *testing.T) {
	t.Attr("req", "OC-CORE-1012")
	t.Attr("req", "OC-CORE-1016")
	t.Attr("req", "OC-CORE-1017")
	garbage := []scheduling.Replica{
		rep("neg", 900, func(r *scheduling.Replica) { r.ActiveSlots, r.SlotsTotal = -1, 0 }),
		rep("", 900),
		rep("vram", -5),
		rep("ctx", 900, func(r *scheduling.Replica) { r.CtxMaxSupported = -1 }),
		rep("dev", 900, func(r *scheduling.Replica) { r.Devices = []int{-1} }),
		rep("twin", 900),
		rep("twin", 800, func(r *scheduling.Replica) { r.EngineVersion = "b9999" }),
	}
	sound := rep("sound", 100)
	all := append(slices.Clone(garbage), sound)
	for _, order := range [][]scheduling.Replica{all, reversed(all)} {
		p, _, _ := newPool(t, nil)
		admit(t, p, mtask("a"))
		d, ok := p.Next(snapOf(order...))
		if !ok || d.Job.Replica != "sound" {
			t.Fatalf("job on %q (ok %v), want sound; decision %+v", d.Job.Replica, ok, d.Decision)
		}
		if got := d.Decision.Filtered[scheduling.ReplicaInvalid]; got != len(garbage) {
			t.Errorf("REPLICA_INVALID count %d, want %d", got, len(garbage))
		}
		if d.Decision.CandidatesTotal != len(all) || d.Decision.CandidatesFeasible != 1 {
			t.Errorf("candidates %d/%d, want %d/1", d.Decision.CandidatesFeasible, d.Decision.CandidatesTotal, len(all))
		}
	}
	// Garbage alone: nothing is placed, the task waits with the reason.
	p, _, _ := newPool(t, nil)
	admit(t, p, mtask("a"))
	d, ok := p.Next(snapOf(garbage...))
	if ok || d.Outcome != core.Unplaced || d.Reason != "REPLICA_INVALID" {
		t.Fatalf("garbage only: %v %s %q", ok, d.Outcome, d.Reason)
	}
	state(t, p, "a", core.Queued)
}

// TestRepeatedIDsNeverRegistered: two entries with one id and different
// versions used to register in snapshot order, each moving the other, so
// the replica set a later job saw depended on the order. Neither is
// registered; once the id is unique again it registers normally.
func TestRepeatedIDsNeverRegistered(t *testing.T) {
	t.Attr("req", "OC-CORE-1031")
	t.Attr("req", "OC-CORE-1017")
	a := rep("r1", 900, func(r *scheduling.Replica) { r.ReplicaSet = "" })
	b := rep("r1", 900, func(r *scheduling.Replica) { r.ReplicaSet, r.EngineVersion = "", "b9999" })
	for _, first := range [][]scheduling.Replica{{a, b}, {b, a}} {
		p, _, _ := newPool(t, nil)
		admit(t, p, mtask("x"))
		d, ok := p.Next(snapOf(first...))
		if ok || d.Reason != "REPLICA_INVALID" || d.Mismatched != 0 {
			t.Fatalf("repeated id: placed %v, reason %q, mismatched %d", ok, d.Reason, d.Mismatched)
		}
		// Now only b: it registers as b's own set and takes the task.
		d, ok = p.Next(snapOf(b))
		if !ok || d.Job.EngineVersion != "b9999" || d.Mismatched != 0 {
			t.Fatalf("after the repeat: placed %v on %+v, mismatched %d", ok, d.Job, d.Mismatched)
		}
	}
}

func reversed[T any](xs []T) []T {
	out := slices.Clone(xs)
	slices.Reverse(out)
	return out
}

// TestReplicaWithoutDigestServes: a fleet whose engine reports no model
// digest used to be unusable (every replica REPLICA_SET_MISMATCH). Such
// replicas form a set with an unknown digest and take jobs; a replica that
// does report a digest is another set, and a retry never crosses to it.
func TestReplicaWithoutDigestServes(t *testing.T) {
	t.Attr("req", "OC-CORE-1031")
	p, _, _ := newPool(t, func(c *core.Config) { c.Retry = backoff.Config{MaxRetries: 1} })
	admit(t, p, mtask("a"))
	none := rep("r1", 500, func(r *scheduling.Replica) { r.ModelDigest, r.ReplicaSet = "", "" })
	d, ok := p.Next(snapOf(none))
	if !ok || d.Mismatched != 0 || d.Job.Replica != "r1" {
		t.Fatalf("no digest: placed %v, mismatched %d, reason %q", ok, d.Mismatched, d.Reason)
	}
	if err := p.Fail("a", "ENGINE_ERROR"); err != nil {
		t.Fatal(err)
	}
	with := rep("r2", 900, func(r *scheduling.Replica) { r.ReplicaSet = "" })
	busy := none
	busy.ActiveSlots = busy.SlotsTotal
	if d, ok := p.Next(snapOf(busy, with)); ok {
		t.Fatalf("the retry crossed to a replica with a digest: %+v", d.Job)
	}
	if d, ok := p.Next(snapOf(none, with)); !ok || d.Job.Replica != "r1" || d.Job.Attempt != 2 {
		t.Fatalf("retry: placed %v on %q attempt %d", ok, d.Job.Replica, d.Job.Attempt)
	}
}
