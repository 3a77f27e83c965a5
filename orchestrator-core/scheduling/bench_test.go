package scheduling_test

import (
	"fmt"
	"slices"
	"sort"
	"testing"

	"orchcore.dev/orchestrator-core/scheduling"
)

// benchSnapshot builds n replicas in one pool: about 1 in 10 not Ready,
// 1 in 7 busy, free VRAM and load spread so ties happen.
func benchSnapshot(n int) scheduling.Snapshot {
	reps := make([]scheduling.Replica, n)
	for i := range reps {
		r := good(fmt.Sprintf("r%05d", (i*7919)%n), "p")
		r.Ready = i%10 != 3
		r.FreeVRAMMB = int64((i * 37) % 64 * 256)
		r.ActiveSlots = i % 5
		if i%7 == 0 {
			r.ActiveSlots = r.SlotsTotal
		}
		reps[i] = r
	}
	return scheduling.Snapshot{Pools: pools("p"), Replicas: reps}
}

// naivePlace is the baseline: filter into a fresh slice, sort the whole
// candidate list, take the first.
func naivePlace(req *scheduling.Request, snap scheduling.Snapshot) (string, bool) {
	var feasible []*scheduling.Replica
	for i := range snap.Replicas {
		r := &snap.Replicas[i]
		if r.PoolID != "p" || !r.Ready || r.ModelID != req.ModelID || r.Engine != req.Engine {
			continue
		}
		if c, ok := req.CtxMax.Get(); ok && r.CtxMaxSupported < c {
			continue
		}
		if !slices.Contains(r.Features, "tools") || !slices.Contains(r.Features, "streaming") || r.ActiveSlots >= r.SlotsTotal {
			continue
		}
		feasible = append(feasible, r)
	}
	sort.Slice(feasible, func(i, j int) bool {
		a, b := feasible[i], feasible[j]
		if a.FreeVRAMMB != b.FreeVRAMMB {
			return a.FreeVRAMMB > b.FreeVRAMMB
		}
		if a.ActiveSlots != b.ActiveSlots {
			return a.ActiveSlots < b.ActiveSlots
		}
		return a.ID < b.ID
	})
	if len(feasible) == 0 {
		return "", false
	}
	return feasible[0].ID, true
}

func TestBaselineAgrees(t *testing.T) {
	t.Attr("req", "OC-CORE-1017")
	for _, n := range []int{8, 128, 1024} {
		snap := benchSnapshot(n)
		req := base()
		var pl scheduling.Placer
		d, err := pl.Place(&req, snap)
		id, ok := naivePlace(&req, snap)
		if err != nil || d.Assigned != ok || d.ReplicaID != id {
			t.Fatalf("n=%d: placer %q %v, baseline %q", n, d.ReplicaID, err, id)
		}
	}
}

var sink string

func BenchmarkPlace(b *testing.B) {
	for _, n := range []int{8, 128, 1024, 8192} {
		snap := benchSnapshot(n)
		req := base()
		b.Run(fmt.Sprintf("linear/n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			var pl scheduling.Placer
			for b.Loop() {
				d, _ := pl.Place(&req, snap)
				sink = d.ReplicaID
			}
		})
		b.Run(fmt.Sprintf("sort-baseline/n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sink, _ = naivePlace(&req, snap)
			}
		})
	}
}
