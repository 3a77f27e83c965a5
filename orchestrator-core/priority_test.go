package core_test

import (
	"testing"

	"orchcore.dev/contracts/config-schema/config"
	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/backoff"
	"orchcore.dev/orchestrator-core/queue"
)

// TestEnginePriority, worked out by hand for three classes: under
// lower_first (vLLM) interactive, batch, background run with 0, 1, 2;
// under higher_first with 2, 1, 0; a retry carries its class's priority
// again; an unknown polarity is INVALID_PARAMS, and the configuration's
// engine_priority reaches the pool.
func TestEnginePriority(t *testing.T) {
	t.Attr("req", "OC-CORE-1058")
	for pol, want := range map[core.Polarity][3]int{
		"": {0, 1, 2}, core.LowerFirst: {0, 1, 2}, core.HigherFirst: {2, 1, 0},
	} {
		p, _, _ := newPool(t, func(c *core.Config) { c.EnginePriority = pol; c.Classes = classes(5) })
		for i, class := range []string{"background", "interactive", "batch"} {
			admit(t, p, core.Task{ID: class, Class: class})
			j, ok := next(p)
			if !ok {
				t.Fatal("not dispatched")
			}
			got := j.EnginePriority
			if w := map[string]int{"interactive": want[0], "batch": want[1], "background": want[2]}[class]; got != w {
				t.Errorf("%q: %s runs with engine priority %d, want %d (step %d)", pol, class, got, w, i)
			}
		}
	}
	// A retry carries its class's priority again.
	p, _, _ := newPool(t, func(c *core.Config) {
		c.EnginePriority, c.Retry = core.HigherFirst, backoff.Config{MaxRetries: 1}
	})
	admit(t, p, core.Task{ID: "r", Class: "batch"})
	if j, _ := next(p); j.EnginePriority != 1 {
		t.Fatalf("first attempt: %d", j.EnginePriority)
	}
	if err := p.Fail("r", "ENGINE_ERROR"); err != nil {
		t.Fatal(err)
	}
	if j, ok := next(p); !ok || j.Attempt != 2 || j.EnginePriority != 1 {
		t.Fatalf("retry: %v attempt %d priority %d, want attempt 2 priority 1", ok, j.Attempt, j.EnginePriority)
	}
	if _, err := core.New(core.Config{ID: "p", Classes: []queue.Class{{Name: "c", Rank: 1, Weight: 1, Capacity: 1}}, EnginePriority: "first"}); core.CodeOf(err) != core.InvalidParams {
		t.Fatalf("unknown polarity: %v", err)
	}
	c := &config.Config{Version: 1, Pools: []config.Pool{{ID: "p1", ModelID: "m", EnginePriority: "higher_first"}}}
	p, err := core.FromConfig(c, "p1")
	if err != nil {
		t.Fatal(err)
	}
	admit(t, p, core.Task{ID: "i", Class: "interactive"})
	if j, _ := next(p); j.EnginePriority != 2 {
		t.Fatalf("from config: interactive runs with %d, want 2", j.EnginePriority)
	}
}
