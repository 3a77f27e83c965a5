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

// sortPlace is the baseline: the same filters, but the feasible replicas
// go into a fresh slice that is sorted whole, and the first one wins.
func sortPlace(req *Request, snap Snapshot) (string, bool) {
	var feasible []*Replica
	for i := range snap.Replicas {
		r := &snap.Replicas[i]
		pi := poolIndex(snap.Pools, r.PoolID)
		if pi < 0 || check(req, r, &snap.Pools[pi]) != NoReason {
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

func TestBaselineAgrees(t *testing.T) {
	t.Attr("req", "OC-CORE-1017")
	for _, n := range []int{8, 128, 1024} {
		req, snap := benchSnapshot(n)
		var pl Placer
		d, err := pl.Place(&req, snap)
		id, ok := sortPlace(&req, snap)
		if err != nil || d.Assigned != ok || d.ReplicaID != id {
			t.Fatalf("n=%d: placer %q %v, baseline %q", n, d.ReplicaID, err, id)
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
	}
}
