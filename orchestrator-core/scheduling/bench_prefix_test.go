package scheduling

import (
	"fmt"
	"testing"
)

// prefixBench builds the decision the issue sizes: n replicas (as in
// benchSnapshot) and a request of 64 blocks. Every replica has learned
// a 64-block chain: one in 8 shares the request's system prompt (its
// first 16 blocks), and of those one in 4 also shares the request's
// conversation to a depth between 17 and 64 blocks; the rest hold
// unrelated chains.
func prefixBench(n int) (Request, Snapshot, *Prefix) {
	req, snap := benchSnapshot(n)
	chain := func(seed, from uint64) []uint64 {
		c := make([]uint64, 64)
		for i := range c {
			c[i] = seed<<32 | uint64(i) + 1
			if uint64(i) < from {
				c[i] = uint64(i) + 1 // the request's blocks
			}
		}
		return c
	}
	req.Blocks = chain(0, 64)
	x := NewPrefix(256, n)
	for i := range snap.Replicas {
		shared := uint64(0)
		if i%8 == 0 {
			shared = 16
			if i%32 == 0 {
				shared = 17 + uint64(i/32)%48
			}
		}
		x.Learn(snap.Replicas[i].ID, chain(uint64(i)+1, shared))
	}
	return req, snap, x
}

func TestPrefixBenchShape(t *testing.T) {
	t.Attr("req", "OC-CORE-1055")
	req, snap, x := prefixBench(1024)
	hits := x.Match(req.Blocks)
	if len(hits) != 128 {
		t.Fatalf("%d replicas hold a prefix, want 1024/8 = 128", len(hits))
	}
	pl := Placer{Policy: Policy{Prefix: PrefixPolicy{Enabled: true, PrefixWeight: 1, LoadWeight: 1, GuardSlots: 2, GuardPermille: 1500}}, Prefix: x}
	d, err := pl.Place(&req, snap)
	if err != nil || !d.Assigned || d.MatchedBlocks < 17 {
		t.Fatalf("decision %+v, %v: want a replica holding more than the system prompt", d, err)
	}
}

var hitSink int

// BenchmarkPlacePrefix is one decision with prefix scoring on a loaded
// table (PlaceIn): the linear pass plus the index lookup of a 64-block
// request and the scoring of its hits, against the same decision
// without blocks (the baseline), and the lookup alone.
func BenchmarkPlacePrefix(b *testing.B) {
	for _, n := range []int{128, 1024} {
		req, snap, x := prefixBench(n)
		pl := Placer{Policy: Policy{Prefix: PrefixPolicy{Enabled: true, PrefixWeight: 1, LoadWeight: 4, GuardSlots: 1, GuardPermille: 1250}}, Prefix: x}
		var t Table
		t.Load(snap)
		b.Run(fmt.Sprintf("prefix-64/n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				d, _ := pl.PlaceIn(&req, &t, snap.Pools)
				sink = d.ReplicaID
			}
		})
		plain := req
		plain.Blocks = nil
		b.Run(fmt.Sprintf("no-blocks/n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				d, _ := pl.PlaceIn(&plain, &t, snap.Pools)
				sink = d.ReplicaID
			}
		})
		b.Run(fmt.Sprintf("match-only/n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				hitSink = len(x.Match(req.Blocks))
			}
		})
	}
}
