package fairness_test

import (
	"testing"

	"orchcore.dev/orchestrator-core/fairness"
)

// Tests that kill mutants gremlins found alive (make mutation,
// docs/mutation.md).

// The first index past the last class is out of range like any other:
// Admit and Dispatch ignore it (no panic, nothing counted), for every
// number of classes.
func TestSharesFirstIndexPastTheEnd(t *testing.T) {
	t.Attr("req", "OC-CORE-1007")
	for _, n := range []int{1, 2, 64} {
		s := fairness.NewShares(n)
		s.Admit(n)
		s.Dispatch(n)
		s.Admit(n - 1)
		s.Dispatch(n - 1)
		if s.Admitted(n) != 0 || s.Dispatched(n) != 0 {
			t.Fatalf("n=%d: index %d counted: admitted %d dispatched %d", n, n, s.Admitted(n), s.Dispatched(n))
		}
		if s.AdmissionShare(n-1) != 1 || s.DispatchShare(n-1) != 1 {
			t.Fatalf("n=%d: shares of the last class %v, %v; want 1, 1 (index %d counted in a total)",
				n, s.AdmissionShare(n-1), s.DispatchShare(n-1), n)
		}
	}
}

// A spare dispatch (every backlogged class already served in its window)
// goes to the class furthest behind its share, ties to the higher rank.
// Weights 1:1:1 with classes 0 and 1 backlogged: dispatches 0 and 1 are
// due (windows of 3), dispatch 2 is spare with equal credits, so class 0
// gets it; dispatch 3 opens new windows ending together, and the earliest
// deadline tie goes to the higher rank too.
func TestSpareTieGoesToHigherRank(t *testing.T) {
	t.Attr("req", "OC-CORE-1006")
	p, err := fairness.NewWeighted([]int{1, 1, 1})
	if err != nil {
		t.Fatal(err)
	}
	want := []int{0, 1, 0, 0}
	for i, w := range want {
		k, ok := fairness.Pick(p, 0b011)
		if !ok || k != w {
			t.Fatalf("dispatch %d: class %d (ok %v), want %d; sequence wanted %v", i, k, ok, w, want)
		}
	}
}
