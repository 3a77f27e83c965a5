package core_test

import (
	"slices"
	"testing"

	"orchcore.dev/orchestrator-core/scheduling"
)

// Two replicas claim the same undeclared replica set with different
// engine versions. Whichever order the snapshot lists them in, the one
// with the smaller replica_id fixes the set's versions, so the decision
// is the same (OC-CORE-1017, OC-CORE-1031).
func TestUndeclaredSetIndependentOfSnapshotOrder(t *testing.T) {
	t.Attr("req", "OC-CORE-1017")
	t.Attr("req", "OC-CORE-1031")
	newer := func(r *scheduling.Replica) { r.EngineVersion = "b4200" }
	// r2 has more free VRAM, so it would win if its versions fixed the set.
	r1, r2 := rep("r1", 100), rep("r2", 900, newer)
	for _, order := range [][]scheduling.Replica{{r1, r2}, {r2, r1}} {
		p, _, _ := newPool(t, nil)
		admit(t, p, mtask("a"))
		d, ok := p.Next(snapOf(slices.Clone(order)...))
		if !ok || d.Job.Replica != "r1" || d.Job.EngineVersion != "b4100" {
			t.Fatalf("order %s,%s: placed %v on %q (%s), want r1 (b4100)",
				order[0].ID, order[1].ID, ok, d.Job.Replica, d.Job.EngineVersion)
		}
		if d.Mismatched != 1 {
			t.Fatalf("order %s,%s: %d replicas left out, want r2 only", order[0].ID, order[1].ID, d.Mismatched)
		}
	}
}
