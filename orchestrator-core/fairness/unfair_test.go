package fairness_test

import (
	"testing"

	"pgregory.net/rapid"

	"orchcore.dev/orchestrator-core/fairness"
	"orchcore.dev/orchestrator-core/internal/proptest"
)

// roundRobin ignores weights: each backlogged class in turn.
type roundRobin struct{ next int }

func (r *roundRobin) Peek(b uint64) (int, bool) {
	for i := range 64 {
		if k := (r.next + i) % 64; b&(1<<k) != 0 {
			return k, true
		}
	}
	return 0, false
}
func (r *roundRobin) Commit(k int, _ uint64) { r.next = k + 1 }

// TestPropertyCatchesUnfairPickers shows the starvation property is not
// vacuous: strict priority and weight-blind round robin both fail it.
func TestPropertyCatchesUnfairPickers(t *testing.T) {
	t.Attr("req", "OC-CORE-1006")
	bad := map[string]func([]int) fairness.Picker{
		"strict":      func(w []int) fairness.Picker { s, _ := fairness.NewStrict(len(w)); return s },
		"round-robin": func([]int) fairness.Picker { return &roundRobin{} },
	}
	for _, name := range []string{"strict", "round-robin"} {
		t.Run(name, func(t *testing.T) {
			if failed, _ := proptest.Fails(t, starvation(bad[name])); !failed {
				t.Errorf("the starvation property passed for %s", name)
			}
		})
	}
}

// TestShareCatchesSpareOnly: the picker this package had before shares
// were fixed serves every window, so the window property alone passes it;
// the share property must fail it.
func TestShareCatchesSpareOnly(t *testing.T) {
	t.Attr("req", "OC-CORE-1006")
	t.Attr("req", "OC-CORE-1007")
	old := func(w []int) fairness.Picker { return newSpareOnly(w) }
	// It serves every window: the window property alone passes it.
	rapid.Check(t, starvation(old))
	if failed, _ := proptest.Fails(t, shares(old)); !failed {
		t.Error("the share property passed the old picker, whose 5:1 shares are 7:2")
	}
}
