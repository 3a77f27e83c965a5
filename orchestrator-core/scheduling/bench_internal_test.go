package scheduling

import (
	"fmt"
	"sort"
	"testing"
)

// benchSnapshot builds n replicas in one pool: about 1 in 10 not Ready,
// 1 in 7 busy, free VRAM and load spread so ties happen.
func benchSnapshot(n int) (Request, Snapshot) {
	req := Request{
		ModelID: "llama", ModelDigest: Some("sha256:aa"), CtxMax: Some(4096),
		Quant: Some("q4"), Streaming: Some(true), Extensions: []string{"tools"}, Engine: "llamacpp",
	}
	reps := make([]Replica, n)
	for i := range reps {
		reps[i] = Replica{
			ID: fmt.Sprintf("r%05d", (i*7919)%n), PoolID: "p", ReplicaSet: "s1",
			Engine: "llamacpp", ModelID: "llama", ModelDigest: "sha256:aa", Quant: "q4",
			Ready: i%10 != 3, Devices: []int{i % 4}, FreeVRAMMB: int64((i * 37) % 64 * 256),
			ActiveSlots: i % 5, SlotsTotal: 4, CtxMaxSupported: 8192,
			Features: []string{"streaming", "tools"},
		}
		if i%7 == 0 {
			reps[i].ActiveSlots = 4
		}
	}
	return req, Snapshot{Pools: []Pool{{ID: "p", DeviceMask: []int{0, 1, 2, 3}}}, Replicas: reps}
}

// The baselines come in two kinds. The compiled ones (sortIn, sortAllIn)
// run the same compiled filter as PlaceIn on the same loaded Table, so
// their ratio to PlaceIn measures the selection alone; the string ones
// (sortPlace, sortAllPlace) run the filters of the old string-based path
// on the snapshot, as the baselines did before the Table.

// sortIn is sortPlace on a loaded table: the same compiled filter per
// replica, the feasible indexes sorted whole, the first one wins.
func sortIn(q *query, req *Request, t *Table) (string, bool) {
	q.compile(req, t, t.pools, Saturation{})
	var feasible []int
	for i := range t.recs {
		c := &t.recs[i]
		if pi := q.scope[c.pool]; pi >= 0 && (q.feasible(c, pi) || q.stages(t, i, c, pi) == NoReason) {
			feasible = append(feasible, i)
		}
	}
	var pl Placer
	sort.Slice(feasible, func(i, j int) bool { return pl.above(t, feasible[i], feasible[j]) })
	if len(feasible) == 0 {
		return "", false
	}
	return t.reps[feasible[0]].ID, true
}

// sortAllIn is sortAllPlace on a loaded table: every in-scope index
// sorted by the placement order, then walked with the compiled filter to
// the first feasible one, counting the rest.
func sortAllIn(q *query, req *Request, t *Table) (string, bool) {
	q.compile(req, t, t.pools, Saturation{})
	cands := make([]int, 0, len(t.recs))
	for i := range t.recs {
		if q.scope[t.recs[i].pool] >= 0 {
			cands = append(cands, i)
		}
	}
	var pl Placer
	sort.Slice(cands, func(i, j int) bool { return pl.above(t, cands[i], cands[j]) })
	var filtered [NumReasons]int
	pick := -1
	for _, i := range cands {
		c := &t.recs[i]
		pi, why := q.scope[c.pool], NoReason
		if !q.feasible(c, pi) {
			why = q.stages(t, i, c, pi)
		}
		filtered[why]++
		if why == NoReason && pick < 0 {
			pick = i
		}
	}
	if pick < 0 {
		return "", false
	}
	return t.reps[pick].ID, true
}

// sortPlace is the stronger baseline: the same filters, but the feasible
// replicas go into a fresh slice that is sorted whole, and the first one
// wins.
func sortPlace(req *Request, snap Snapshot) (string, bool) {
	var feasible []*Replica
	n := needOf(req)
	for i := range snap.Replicas {
		r := &snap.Replicas[i]
		pi := poolIndex(snap.Pools, r.PoolID)
		if pi < 0 || n.check(r, &snap.Pools[pi]) != NoReason {
			continue
		}
		feasible = append(feasible, r)
	}
	sort.Slice(feasible, func(i, j int) bool { return before(feasible[i], feasible[j]) })
	if len(feasible) == 0 {
		return "", false
	}
	return feasible[0].ID, true
}

// sortAllPlace is the baseline the issue names: the whole candidate list
// (every in-scope replica) is copied and sorted by the placement order,
// then walked, filtering as it goes, to the first feasible replica; the
// rest are still checked so that the per-reason counts are complete, as
// Place's are.
func sortAllPlace(req *Request, snap Snapshot) (string, bool) {
	cands := make([]*Replica, 0, len(snap.Replicas))
	for i := range snap.Replicas {
		if poolIndex(snap.Pools, snap.Replicas[i].PoolID) >= 0 {
			cands = append(cands, &snap.Replicas[i])
		}
	}
	sort.Slice(cands, func(i, j int) bool { return before(cands[i], cands[j]) })
	var filtered [NumReasons]int
	pick, n := "", needOf(req)
	for _, r := range cands {
		why := n.check(r, &snap.Pools[poolIndex(snap.Pools, r.PoolID)])
		filtered[why]++
		if why == NoReason && pick == "" {
			pick = r.ID
		}
	}
	return pick, pick != ""
}

func TestBaselineAgrees(t *testing.T) {
	t.Attr("req", "OC-CORE-1017")
	for _, n := range []int{8, 128, 1024} {
		req, snap := benchSnapshot(n)
		var pl Placer
		d, err := pl.Place(&req, snap)
		var tb Table
		tb.Load(snap)
		var q query
		for _, b := range []struct {
			name string
			f    func() (string, bool)
		}{
			{"sort-feasible", func() (string, bool) { return sortIn(&q, &req, &tb) }},
			{"sort-all", func() (string, bool) { return sortAllIn(&q, &req, &tb) }},
			{"sort-feasible-strings", func() (string, bool) { return sortPlace(&req, snap) }},
			{"sort-all-strings", func() (string, bool) { return sortAllPlace(&req, snap) }},
		} {
			id, ok := b.f()
			if err != nil || !d.Assigned || d.Assigned != ok || d.ReplicaID != id {
				t.Fatalf("n=%d: placer %q %v, %s baseline %q", n, d.ReplicaID, err, b.name, id)
			}
		}
	}
}

var sink string

// BenchmarkPlace compares one decision on a loaded table (place-in) with
// the sorting baselines on the same table and the same compiled filter
// (sort-feasible, sort-all), and reports the cost of Load alone, of
// Place (Load and PlaceIn), of the old string-based path (strings) and of
// the string baselines, at growing snapshot sizes.
func BenchmarkPlace(b *testing.B) {
	for _, n := range []int{8, 128, 1024, 8192} {
		req, snap := benchSnapshot(n)
		var tb Table
		tb.Load(snap)
		b.Run(fmt.Sprintf("place-in/n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			var pl Placer
			for b.Loop() {
				d, _ := pl.PlaceIn(&req, &tb, snap.Pools)
				sink = d.ReplicaID
			}
		})
		b.Run(fmt.Sprintf("sort-feasible/n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			var q query
			for b.Loop() {
				sink, _ = sortIn(&q, &req, &tb)
			}
		})
		b.Run(fmt.Sprintf("sort-all/n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			var q query
			for b.Loop() {
				sink, _ = sortAllIn(&q, &req, &tb)
			}
		})
		b.Run(fmt.Sprintf("load/n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			var t Table
			for b.Loop() {
				t.Load(snap)
			}
		})
		b.Run(fmt.Sprintf("place/n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			var pl Placer
			for b.Loop() {
				d, _ := pl.Place(&req, snap)
				sink = d.ReplicaID
			}
		})
		b.Run(fmt.Sprintf("strings/n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			var pl legacy
			for b.Loop() {
				d, _ := pl.place(&req, snap)
				sink = d.ReplicaID
			}
		})
		b.Run(fmt.Sprintf("sort-feasible-strings/n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sink, _ = sortPlace(&req, snap)
			}
		})
		b.Run(fmt.Sprintf("sort-all-strings/n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sink, _ = sortAllPlace(&req, snap)
			}
		})
	}
}
