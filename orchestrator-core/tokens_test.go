package core_test

import (
	"fmt"
	"slices"
	"testing"

	"pgregory.net/rapid"

	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/queue"
)

// TestPoolTokenCapacity drives Admit and Next on a pool with token
// capacities (OC-CORE-1051) and checks, after every admission: the queued
// cost of each class and of the pool stays within its bound; a refusal
// changes no queue; an admission that evicts returns ids that were queued,
// oldest first within each class, now DROPPED; a cost above a bound is
// TOKENS_EXCEED_CAPACITY and nothing else is.
func TestPoolTokenCapacity(t *testing.T) {
	t.Attr("req", "OC-CORE-1051")
	t.Attr("req", "OC-CORE-1002")
	rapid.Check(t, func(t *rapid.T) {
		cfg := core.Config{ID: "p1", CapacityTokens: rapid.SampledFrom([]int64{0, 50, 120}).Draw(t, "pool tokens"),
			Admission: rapid.SampledFrom([]queue.Policy{queue.Reject, queue.DropLRU, queue.ShedLow}).Draw(t, "policy")}
		for i, name := range []string{"hi", "mid", "lo"} {
			cfg.Classes = append(cfg.Classes, queue.Class{Name: name, Rank: 3 - i, Weight: 1, Capacity: 8,
				CapacityTokens: rapid.SampledFrom([]int64{0, 40, 80}).Draw(t, "class tokens")})
		}
		p, err := core.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		costOf := map[string]int64{}
		queued := func() map[string][]string {
			out := map[string][]string{}
			for _, c := range cfg.Classes {
				out[c.Name] = p.Queue(c.Name)
			}
			return out
		}
		sum := func(ids []string) (n int64) {
			for _, id := range ids {
				n += costOf[id]
			}
			return n
		}
		n := 0
		t.Repeat(map[string]func(*rapid.T){
			"admit": func(t *rapid.T) {
				n++
				id := fmt.Sprint("t", n)
				ci := rapid.IntRange(0, 2).Draw(t, "class")
				c := cfg.Classes[ci]
				tk := core.Task{ID: id, Class: c.Name, PromptTokens: rapid.Int64Range(0, 60).Draw(t, "prompt"),
					MaxNewTokens: rapid.Int64Range(0, 30).Draw(t, "max new")}
				cost := tk.PromptTokens + tk.MaxNewTokens
				before := queued()
				a, err := p.Admit(tk)
				after := queued()
				tooLarge := (c.CapacityTokens > 0 && cost > c.CapacityTokens) || (cfg.CapacityTokens > 0 && cost > cfg.CapacityTokens)
				if (core.CodeOf(err) == core.TokensExceedCapacity) != tooLarge {
					t.Fatalf("cost %d, class bound %d, pool bound %d: %v", cost, c.CapacityTokens, cfg.CapacityTokens, err)
				}
				if err != nil {
					if fmt.Sprint(before) != fmt.Sprint(after) {
						t.Fatalf("a refused admission changed the queues: %v -> %v", before, after)
					}
					return
				}
				costOf[id] = cost
				var total int64
				for _, k := range cfg.Classes {
					s := sum(after[k.Name])
					if k.CapacityTokens > 0 && s > k.CapacityTokens {
						t.Fatalf("class %s holds %d tokens over its %d", k.Name, s, k.CapacityTokens)
					}
					total += s
				}
				if cfg.CapacityTokens > 0 && total > cfg.CapacityTokens {
					t.Fatalf("pool holds %d tokens over its %d", total, cfg.CapacityTokens)
				}
				for _, gone := range a.Evicted {
					if s, _ := p.State(gone); s != core.Dropped {
						t.Fatalf("evicted %s is %v", gone, s)
					}
				}
				for _, k := range cfg.Classes { // evicted ones were the oldest of their class
					var out []string
					for _, id := range before[k.Name] {
						if slices.Contains(a.Evicted, id) {
							out = append(out, id)
						}
					}
					if !slices.Equal(out, before[k.Name][:len(out)]) {
						t.Fatalf("class %s: evicted %v, not its oldest of %v", k.Name, out, before[k.Name])
					}
				}
			},
			"next": func(t *rapid.T) {
				if j, ok := next(p); ok {
					p.Complete(j.Task.ID)
				}
			},
		})
	})
}
