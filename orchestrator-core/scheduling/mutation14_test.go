package scheduling_test

import (
	"fmt"
	"slices"
	"testing"

	"orchcore.dev/orchestrator-core/scheduling"
)

// Tests that kill mutants gremlins found alive in the pass over issue 14's
// code (make mutation, docs/mutation.md).

// A limit of 1 block is a limit: prefix.max_blocks 1 refuses two blocks
// and accepts one (only a limit below 1 means none).
func TestCheckBlocksLimitOfOne(t *testing.T) {
	t.Attr("req", "OC-CORE-1055")
	if got := scheduling.CheckBlocks([]uint64{1, 2}, 1); got != "more blocks than prefix.max_blocks" {
		t.Fatalf("CheckBlocks(2 blocks, 1) = %q, want the max_blocks refusal", got)
	}
	if got := scheduling.CheckBlocks([]uint64{7}, 1); got != "" {
		t.Fatalf("CheckBlocks(1 block, 1) = %q, want \"\"", got)
	}
	if got := scheduling.CheckBlocks([]uint64{1, 2}, 0); got != "" {
		t.Fatalf("CheckBlocks(2 blocks, 0) = %q, want \"\" (no limit)", got)
	}
}

// Match over more than 64 replicas, whose holder sets span several
// words of the index's bitsets: blocks held only by the replicas of one
// word, of another, or by all, looked up in every order of two, give
// each replica its longest held prefix, shortest first, then in the order
// the replicas were first learned. The expected hits come from a plain
// model: which blocks each replica was given.
func TestMatchAcrossManyReplicas(t *testing.T) {
	t.Attr("req", "OC-CORE-1055")
	const n = 150 // slots 0..149: three 64-bit words
	const all, lo, mid, hi, odd = 1, 2, 3, 4, 5
	x := scheduling.NewPrefix(8, n)
	held := make([]map[uint64]bool, n)
	id := func(k int) string { return fmt.Sprintf("r%03d", k) }
	give := func(k int, b uint64) {
		x.Learn(id(k), []uint64{b})
		held[k][b] = true
	}
	for k := range n { // slots in this order
		held[k] = map[uint64]bool{}
		give(k, all)
	}
	for k := range n {
		switch {
		case k < 64:
			give(k, lo)
		case k < 128:
			give(k, mid)
		default:
			give(k, hi)
		}
		if k%2 == 1 {
			give(k, odd)
		}
	}
	for _, q := range [][]uint64{
		{all, lo}, {lo, all}, {all, mid}, {mid, all}, {all, hi}, {hi, all},
		{lo, hi}, {hi, lo}, {mid, hi}, {hi, mid}, {odd, hi}, {hi, odd}, {all, odd, mid},
	} {
		var want []scheduling.Hit
		for d := 1; d <= len(q); d++ { // shortest first, then by slot
			for k := range n {
				m := 0
				for m < len(q) && held[k][q[m]] {
					m++
				}
				if m == d {
					want = append(want, scheduling.Hit{Replica: id(k), Blocks: d})
				}
			}
		}
		if got := x.Match(q); !slices.Equal(got, want) {
			t.Fatalf("Match(%v): %d hits, want %d; first %v, want %v", q, len(got), len(want), head(got), head(want))
		}
	}
}

func head(h []scheduling.Hit) []scheduling.Hit { return h[:min(len(h), 3)] }
