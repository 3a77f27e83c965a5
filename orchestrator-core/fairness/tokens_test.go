package fairness_test

import (
	"testing"

	"pgregory.net/rapid"

	"orchcore.dev/orchestrator-core/fairness"
	"orchcore.dev/orchestrator-core/internal/proptest"
)

// tokenBound is the property of OC-CORE-1052 for any CostPicker: random
// weights, backlog patterns and task costs, every dispatch checked by
// proptest.TokenShare; every choice is a backlogged class and Peek is
// pure.
func tokenBound(newPicker func([]int) fairness.CostPicker) func(*rapid.T) {
	return func(t *rapid.T) {
		top := rapid.SampledFrom([]int{6, 1000, fairness.MaxWeight}).Draw(t, "largest weight")
		weights := rapid.SliceOfN(rapid.IntRange(1, top), 1, 8).Draw(t, "weights")
		maxCost := rapid.SampledFrom([]int64{1, 10, 4096}).Draw(t, "largest cost")
		p := newPicker(weights)
		ref := proptest.NewTokenShare(weights)
		all := uint64(1)<<len(weights) - 1
		backlog := all
		t.Repeat(map[string]func(*rapid.T){
			"dispatch": func(t *rapid.T) {
				if backlog == 0 {
					t.Skip("nothing backlogged")
				}
				for range rapid.IntRange(1, 300).Draw(t, "burst") {
					k, ok := p.Peek(backlog)
					if k2, ok2 := p.Peek(backlog); k2 != k || ok2 != ok {
						t.Fatalf("Peek is not pure: %d then %d", k, k2)
					}
					if !ok || backlog&(1<<k) == 0 {
						t.Fatalf("Peek(%b) = %d,%v: not a backlogged class", backlog, k, ok)
					}
					cost := rapid.Int64Range(0, maxCost).Draw(t, "cost")
					p.CommitCost(k, backlog, cost)
					if msg := ref.Step(backlog, k, cost); msg != "" {
						t.Fatalf("weights %v: %s", weights, msg)
					}
				}
			},
			"toggle": func(t *rapid.T) {
				backlog ^= 1 << rapid.IntRange(0, len(weights)-1).Draw(t, "class")
			},
		})
	}
}

func TestTokensBound(t *testing.T) {
	t.Attr("req", "OC-CORE-1052")
	rapid.Check(t, tokenBound(func(w []int) fairness.CostPicker {
		p, err := fairness.NewTokens(w)
		if err != nil {
			panic(err)
		}
		return p
	}))
}

// countCharged is the token picker charged 1 per dispatch whatever the
// cost: shares of dispatches, not of tokens.
type countCharged struct{ *fairness.Tokens }

func (c countCharged) CommitCost(k int, b uint64, _ int64) { c.Tokens.Commit(k, b) }

// forgetful forgets what each class was served after every dispatch (no
// carry-over): it always serves the highest rank.
type forgetful struct {
	t *fairness.Tokens
	w []int
}

func (f *forgetful) Peek(b uint64) (int, bool) { return f.t.Peek(b) }
func (f *forgetful) Commit(k int, b uint64)    { f.CommitCost(k, b, 1) }
func (f *forgetful) CommitCost(k int, b uint64, c int64) {
	f.t.CommitCost(k, b, c)
	f.t, _ = fairness.NewTokens(f.w)
}

// TestTokensPropertyCatchesBrokenVariants: charging counts instead of
// tokens, and forgetting the served tokens between dispatches, both break
// the bound, and the property says so.
func TestTokensPropertyCatchesBrokenVariants(t *testing.T) {
	t.Attr("req", "OC-CORE-1052")
	for name, mk := range map[string]func([]int) fairness.CostPicker{
		"count-charged": func(w []int) fairness.CostPicker { p, _ := fairness.NewTokens(w); return countCharged{p} },
		"no-carry-over": func(w []int) fairness.CostPicker { p, _ := fairness.NewTokens(w); return &forgetful{p, w} },
	} {
		t.Run(name, func(t *testing.T) {
			if failed, _ := proptest.Fails(t, tokenBound(mk)); !failed {
				t.Errorf("the token bound held for %s", name)
			}
		})
	}
}

// TestTokensWorkedExample, by hand: weights 1:1, class 0 sends tasks of
// 100 tokens, class 1 of 10. Served per class after each dispatch (class
// 0 first on the tie): 0:100; then class 1 until it passes 100 (ten
// tasks of 10 reach 100, a tie the higher rank wins).
func TestTokensWorkedExample(t *testing.T) {
	t.Attr("req", "OC-CORE-1052")
	p, _ := fairness.NewTokens([]int{1, 1})
	cost := []int64{100, 10}
	var seq []int
	for range 12 {
		k, _ := p.Peek(0b11)
		p.CommitCost(k, 0b11, cost[k])
		seq = append(seq, k)
	}
	want := []int{0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0}
	for i := range want {
		if seq[i] != want[i] {
			t.Fatalf("dispatches %v, want %v", seq, want)
		}
	}
}
