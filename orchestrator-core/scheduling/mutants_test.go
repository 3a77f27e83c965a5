package scheduling_test

import (
	"testing"

	"orchcore.dev/orchestrator-core/internal/proptest"
	"orchcore.dev/orchestrator-core/scheduling"
)

// tieBlind is a broken placer that ignores replica_id on ties of the
// order: among the feasible replicas tied with the chosen one on free
// VRAM and active slots, the first in snapshot order wins, as a pass
// whose comparison lacked the id would keep. It is built around the real
// Placer, from its per-replica outcomes, so the production code carries
// no switch for it. Decisions the order did not make (a session kept, a
// prefix match, the guard) are left alone.
type tieBlind struct{ *scheduling.Placer }

func (b tieBlind) Place(req *scheduling.Request, snap scheduling.Snapshot) (scheduling.Decision, error) {
	d, err := b.Placer.Place(req, snap)
	if err != nil || !d.Assigned || d.KVWarmth || d.Guarded {
		return d, err
	}
	out, w := scheduling.Outcomes(b.Placer), snap.Replicas[d.Index]
	for i, r := range snap.Replicas {
		if out[i] == scheduling.NoReason && r.FreeVRAMMB == w.FreeVRAMMB && r.ActiveSlots == w.ActiveSlots {
			d.Index, d.ReplicaID, d.PoolID, d.ReplicaSet = i, r.ID, r.PoolID, r.ReplicaSet
			break
		}
	}
	return d, err
}

// TestPropertyCatchesBrokenTieBreak runs the same property against a
// placer that ignores replica_id on ties; the property must fail.
func TestPropertyCatchesBrokenTieBreak(t *testing.T) {
	t.Attr("req", "OC-CORE-1017")
	failed, first := proptest.Fails(t, placementMachine(func(p *scheduling.Placer) placer { return tieBlind{p} }))
	if !failed {
		t.Fatal("the property accepted a placer that ignores replica_id")
	}
	t.Logf("caught as expected: %.200s", first)
}
