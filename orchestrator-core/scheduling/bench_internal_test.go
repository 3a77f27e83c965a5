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
		for name, base := range map[string]func(*Request, Snapshot) (string, bool){
			"sort-feasible": sortPlace, "sort-all": sortAllPlace,
		} {
			id, ok := base(&req, snap)
			if err != nil || d.Assigned != ok || d.ReplicaID != id {
				t.Fatalf("n=%d: placer %q %v, %s baseline %q", n, d.ReplicaID, err, name, id)
			}
		}
	}
}

var sink string

// BenchmarkPlace compares one decision of the linear pass with the
// sorting baseline at growing snapshot sizes.
func BenchmarkPlace(b *testing.B) {
	for _, n := range []int{8, 128, 1024, 8192} {
		req, snap := benchSnapshot(n)
		b.Run(fmt.Sprintf("linear/n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			var pl Placer
			for b.Loop() {
				d, _ := pl.Place(&req, snap)
				sink = d.ReplicaID
			}
		})
		b.Run(fmt.Sprintf("sort-baseline/n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sink, _ = sortPlace(&req, snap)
			}
		})
		b.Run(fmt.Sprintf("sort-all-baseline/n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				sink, _ = sortAllPlace(&req, snap)
			}
		})
	}
}
