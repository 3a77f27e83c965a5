package core_test

import (
	"fmt"
	"testing"

	"pgregory.net/rapid"

	"orchcore.dev/contracts/config-schema/config"
	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/fairness"
	"orchcore.dev/orchestrator-core/internal/proptest"
	"orchcore.dev/orchestrator-core/queue"
)

// TestPoolTokenShares: through Admit, Next and Complete with the
// weighted-tokens policy, random weights and task costs, classes kept
// backlogged or drained at random: every dispatch's token share is within
// the bound of OC-CORE-1052 (proptest.TokenShare). The task's cost is its
// prompt plus max new tokens.
func TestPoolTokenShares(t *testing.T) {
	t.Attr("req", "OC-CORE-1052")
	rapid.Check(t, func(t *rapid.T) {
		weights := rapid.SliceOfN(rapid.IntRange(1, 9), 1, 5).Draw(t, "weights")
		cfg := core.Config{ID: "p1", Fairness: fairness.KindTokens}
		for i, w := range weights {
			cfg.Classes = append(cfg.Classes, queue.Class{Name: fmt.Sprint("c", i), Rank: 100 - i, Weight: w, Capacity: 8})
		}
		p, err := core.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		ref := proptest.NewTokenShare(weights)
		queued := make([]int, len(weights))
		active := uint64(1)<<len(weights) - 1
		n := 0
		fill := func(t *rapid.T) {
			for k := range weights {
				for active&(1<<k) != 0 && queued[k] < 2 {
					n++
					tk := core.Task{ID: fmt.Sprint("t", n), Class: fmt.Sprint("c", k),
						PromptTokens: rapid.Int64Range(0, 500).Draw(t, "prompt"), MaxNewTokens: rapid.Int64Range(0, 100).Draw(t, "max new")}
					if _, err := p.Admit(tk); err != nil {
						t.Fatal(err)
					}
					queued[k]++
				}
			}
		}
		fill(t)
		t.Repeat(map[string]func(*rapid.T){
			"dispatch": func(t *rapid.T) {
				for range rapid.IntRange(1, 100).Draw(t, "burst") {
					var b uint64
					for k, q := range queued {
						if q > 0 {
							b |= 1 << k
						}
					}
					if b == 0 {
						return
					}
					j, ok := next(p)
					if !ok {
						t.Fatal("nothing dispatched")
					}
					var k int
					fmt.Sscanf(j.Task.Class, "c%d", &k)
					if msg := ref.Step(b, k, j.Task.PromptTokens+j.Task.MaxNewTokens); msg != "" {
						t.Fatalf("weights %v: %s", weights, msg)
					}
					queued[k]--
					p.Complete(j.Task.ID)
					fill(t)
				}
			},
			"toggle": func(t *rapid.T) {
				active ^= 1 << rapid.IntRange(0, len(weights)-1).Draw(t, "class")
				fill(t)
			},
		})
	})
}

// The configuration's fairness_policy values are exactly the kinds the
// core builds.
func TestFairnessKindsMatchConfig(t *testing.T) {
	t.Attr("req", "OC-CORE-1052")
	for _, k := range []string{config.FairnessWeighted, config.FairnessTokens, config.FairnessStrict} {
		if _, err := fairness.New(fairness.Kind(k), []int{1, 2}); err != nil {
			t.Errorf("config policy %q: %v", k, err)
		}
	}
}

// TestPoolTenantRoundRobinFromConfig: tenant_order from a configuration
// reaches the pool; Next serves the tenants in turn, and an unknown order
// is INVALID_PARAMS.
func TestPoolTenantRoundRobinFromConfig(t *testing.T) {
	t.Attr("req", "OC-CORE-1053")
	c := &config.Config{Version: 1,
		PriorityClasses: []config.PriorityClass{{Name: "batch", Rank: 1, Weight: 1, Capacity: 10, TenantOrder: "round-robin"}},
		Pools:           []config.Pool{{ID: "p1", ModelID: "m"}}}
	p, err := core.FromConfig(c, "p1")
	if err != nil {
		t.Fatal(err)
	}
	for _, tk := range []core.Task{{ID: "a1", Tenant: "a"}, {ID: "a2", Tenant: "a"}, {ID: "a3", Tenant: "a"}, {ID: "b1", Tenant: "b"}, {ID: "", Tenant: ""}} {
		if tk.ID == "" {
			tk.ID = "e1" // the empty tenant is a tenant like any other
		}
		tk.Class = "batch"
		if _, err := p.Admit(tk); err != nil {
			t.Fatal(err)
		}
	}
	var order []string
	for j, ok := next(p); ok; j, ok = next(p) {
		order = append(order, j.Task.ID)
	}
	if fmt.Sprint(order) != "[a1 b1 e1 a2 a3]" {
		t.Fatalf("dispatch order %v, want [a1 b1 e1 a2 a3]", order)
	}
	c.PriorityClasses[0].TenantOrder = "lottery"
	if _, err := core.FromConfig(c, "p1"); core.CodeOf(err) != core.InvalidParams {
		t.Fatalf("unknown tenant order: %v", err)
	}
}
