package promexport_test

import (
	"testing"

	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/backoff"
	"orchcore.dev/orchestrator-core/queue"
)

// TestDispatchShareCountsFirstDispatches: admission_share{stage=
// "dispatched"} counts a task's first dispatch only, as the core's
// Stats().DispatchShare does; tasks_started_total still counts the retry.
func TestDispatchShareCountsFirstDispatches(t *testing.T) {
	t.Attr("req", "OC-CORE-1007")
	reg, x := exported(t)
	p := pool(t, x, &core.ManualClock{}, func(c *core.Config) {
		c.Classes = []queue.Class{
			{Name: "interactive", Rank: 2, Weight: 1, Capacity: 4},
			{Name: "batch", Rank: 1, Weight: 1, Capacity: 4},
		}
		c.Fairness = "strict"
		c.Retry = backoff.Config{MaxRetries: 1}
	})
	for _, tk := range []core.Task{{ID: "a", Class: "interactive"}, {ID: "b", Class: "batch"}} {
		if _, err := p.Admit(tk); err != nil {
			t.Fatal(err)
		}
	}
	if d, ok := p.Next(ready); !ok || d.TaskID != "a" {
		t.Fatalf("first dispatch %+v, want a", d)
	}
	if err := p.Fail("a", "ENGINE_ERROR"); err != nil {
		t.Fatal(err)
	}
	if d, ok := p.Next(ready); !ok || d.TaskID != "a" || d.Job.Attempt != 2 {
		t.Fatalf("second dispatch %+v, want the retry of a", d)
	}
	if d, ok := p.Next(ready); !ok || d.TaskID != "b" {
		t.Fatalf("third dispatch %+v, want b", d)
	}
	// Two first dispatches, one per class: half each. Counting the retry
	// would give interactive 2/3.
	want := map[string]float64{"interactive": 0.5, "batch": 0.5}
	for _, cs := range p.Stats().Classes {
		if cs.DispatchShare != want[cs.Class] {
			t.Fatalf("core DispatchShare(%s) = %v, want %v", cs.Class, cs.DispatchShare, want[cs.Class])
		}
	}
	for class, w := range want {
		got, n := total(t, reg, "admission_share", map[string]string{"pool_id": "p1", "class": class, "stage": "dispatched"})
		if n != 1 || got != w {
			t.Errorf("admission_share{class=%s,stage=dispatched} = %v over %d series, want %v", class, got, n, w)
		}
	}
	if got, _ := total(t, reg, "tasks_started_total", map[string]string{"pool_id": "p1"}); got != 3 {
		t.Errorf("tasks_started_total = %v, want 3 (the retry included)", got)
	}
}
