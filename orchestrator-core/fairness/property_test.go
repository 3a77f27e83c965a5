package fairness_test

import (
	"math/bits"
	"testing"

	"pgregory.net/rapid"

	"orchcore.dev/orchestrator-core/fairness"
	"orchcore.dev/orchestrator-core/internal/proptest"
)

// starvation is the property: under any sequence of backlogs, each
// backlogged class is served in every one of its windows, each choice is
// a backlogged class, and Peek is pure.
func starvation(newPicker func([]int) fairness.Picker) func(*rapid.T) {
	return bounds(newPicker, false)
}

// shares is starvation plus the share bound of proptest.Share: within a
// run of one backlog set each class's count stays within its constant of
// D·w_k/W_B.
func shares(newPicker func([]int) fairness.Picker) func(*rapid.T) {
	return bounds(newPicker, true)
}

func bounds(newPicker func([]int) fairness.Picker, share bool) func(*rapid.T) {
	return func(t *rapid.T) {
		top := rapid.SampledFrom([]int{6, 1000, fairness.MaxWeight}).Draw(t, "largest weight")
		weights := rapid.SliceOfN(rapid.IntRange(1, top), 1, 8).Draw(t, "weights")
		p := newPicker(weights)
		ref := proptest.NewWindows(weights)
		sh := proptest.NewShare(weights)
		all := uint64(1)<<len(weights) - 1
		backlog := all
		t.Repeat(map[string]func(*rapid.T){
			"dispatch": func(t *rapid.T) {
				if backlog == 0 {
					t.Skip("nothing backlogged")
				}
				for range rapid.IntRange(1, 400).Draw(t, "burst") {
					k := dispatch(t, p, ref, backlog, weights)
					if msg := sh.Step(backlog, k); share && msg != "" {
						t.Fatalf("weights %v: %s", weights, msg)
					}
				}
			},
			// Classes fill and drain over time.
			"toggle": func(t *rapid.T) {
				k := rapid.IntRange(0, len(weights)-1).Draw(t, "class")
				backlog ^= 1 << k
			},
			"all backlogged": func(t *rapid.T) { backlog = all },
			"empty peek": func(t *rapid.T) {
				if _, ok := p.Peek(0); ok {
					t.Fatalf("Peek(0) chose a class")
				}
			},
		})
	}
}

// dispatch makes one dispatch with the given backlog, checks it and
// returns the class served.
func dispatch(t *rapid.T, p fairness.Picker, ref *proptest.Windows, backlog uint64, weights []int) int {
	k, ok := p.Peek(backlog)
	if k2, ok2 := p.Peek(backlog); k2 != k || ok2 != ok {
		t.Fatalf("Peek is not pure: %d then %d", k, k2)
	}
	if !ok || backlog&(1<<k) == 0 {
		t.Fatalf("Peek(%b) = %d,%v: not a backlogged class", backlog, k, ok)
	}
	p.Commit(k, backlog)
	if miss := ref.Step(backlog, k); miss >= 0 {
		t.Fatalf("class %d (weights %v, period %d) not served in its window ending at dispatch %d",
			miss, weights, ref.Period(miss), ref.Dispatches()-1)
	}
	return k
}

func weighted(w []int) *fairness.Weighted {
	p, err := fairness.NewWeighted(w)
	if err != nil {
		panic(err)
	}
	return p
}

// TestWeightedNeverStarves checks both halves of the claim for random
// weights and backlog patterns: every window of OC-CORE-1006 is served,
// and within every run each class's count stays within its constant of
// the weighted share (the bound on proptest.Share, stated in .specs/10).
func TestWeightedNeverStarves(t *testing.T) {
	t.Attr("req", "OC-CORE-1006")
	t.Attr("req", "OC-CORE-1007")
	rapid.Check(t, shares(func(w []int) fairness.Picker { return weighted(w) }))
}

// TestStrictPicksHighestRank checks strict against its one-line model: the
// lowest backlogged index.
func TestStrictPicksHighestRank(t *testing.T) {
	t.Attr("req", "OC-CORE-1004")
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 64).Draw(t, "classes")
		s, err := fairness.NewStrict(n)
		if err != nil {
			t.Fatal(err)
		}
		b := rapid.Uint64().Draw(t, "backlog")
		k, ok := fairness.Pick(s, b)
		want := -1
		for i := range n {
			if b&(1<<i) != 0 {
				want = i
				break
			}
		}
		if ok != (want >= 0) || (ok && k != want) {
			t.Fatalf("Pick(%b) over %d = %d,%v want %d", b, n, k, ok, want)
		}
		_ = bits.Len64
	})
}
