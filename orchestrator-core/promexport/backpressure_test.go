package promexport_test

import (
	"errors"
	"maps"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/queue"
	"orchcore.dev/orchestrator-core/scheduling"
)

// series gathers name and returns each series' value keyed by its label
// values, joined in label order with ",".
func series(t *testing.T, g prometheus.Gatherer, name string) map[string]float64 {
	t.Helper()
	mfs, err := g.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			key := ""
			for i, lp := range m.GetLabel() {
				if i > 0 {
					key += ","
				}
				key += lp.GetName() + "=" + lp.GetValue()
			}
			out[key] += m.GetCounter().GetValue()
		}
	}
	return out
}

// TestRealPoolRefusalLabels drives a real core.Pool through a quota
// refusal, a drop-lru eviction and a full-queue refusal, and checks the
// engine, reason and policy labels the exporter gives them: the engine is
// the task's, and only the admission policy's decisions (QUEUE_FULL
// refusals and drops) count as backpressure.
func TestRealPoolRefusalLabels(t *testing.T) {
	t.Attr("req", "OC-CORE-1041")
	model := scheduling.Request{ModelID: "m", Engine: "llamacpp"}
	admit := func(p *core.Pool, id, tenant string) error {
		_, err := p.Admit(core.Task{ID: id, Class: "batch", Tenant: tenant, Model: model})
		return err
	}
	code := func(err error) core.Code {
		var e *core.Error
		if errors.As(err, &e) {
			return e.Code
		}
		return ""
	}

	t.Run("quota and drop-lru", func(t *testing.T) {
		reg, x := exported(t)
		p := pool(t, x, &core.ManualClock{}, func(c *core.Config) {
			c.Classes = []queue.Class{{Name: "batch", Rank: 1, Weight: 1, Capacity: 1}}
			c.Admission = queue.DropLRU
			c.Quotas = []queue.Quota{{Tenant: "*", MaxQueued: 1}}
		})
		if err := admit(p, "a", "t"); err != nil {
			t.Fatal(err)
		}
		if err := admit(p, "b", "t"); code(err) != core.QuotaExceeded {
			t.Fatalf("b: %v, want QUOTA_EXCEEDED", err)
		}
		if err := admit(p, "c", "u"); err != nil { // evicts a
			t.Fatalf("c: %v", err)
		}
		if s, _ := p.State("a"); s != core.Dropped {
			t.Fatalf("a is %v, want Dropped", s)
		}
		want := map[string]float64{"engine=llamacpp,reason=QUOTA_EXCEEDED": 1}
		if got := series(t, reg, "tasks_rejected_total"); !maps.Equal(got, want) {
			t.Errorf("tasks_rejected_total = %v, want %v", got, want)
		}
		want = map[string]float64{"engine=llamacpp,policy=drop-lru": 1}
		if got := series(t, reg, "admission_backpressure_events_total"); !maps.Equal(got, want) {
			t.Errorf("admission_backpressure_events_total = %v, want %v", got, want)
		}
	})

	t.Run("queue full under reject", func(t *testing.T) {
		reg, x := exported(t)
		p := pool(t, x, &core.ManualClock{}, func(c *core.Config) {
			c.Classes = []queue.Class{{Name: "batch", Rank: 1, Weight: 1, Capacity: 1}}
		})
		if err := admit(p, "a", "t"); err != nil {
			t.Fatal(err)
		}
		if err := admit(p, "b", "u"); code(err) != core.QueueFull {
			t.Fatalf("b: %v, want QUEUE_FULL", err)
		}
		want := map[string]float64{"engine=llamacpp,reason=QUEUE_FULL": 1}
		if got := series(t, reg, "tasks_rejected_total"); !maps.Equal(got, want) {
			t.Errorf("tasks_rejected_total = %v, want %v", got, want)
		}
		want = map[string]float64{"engine=llamacpp,policy=reject": 1}
		if got := series(t, reg, "admission_backpressure_events_total"); !maps.Equal(got, want) {
			t.Errorf("admission_backpressure_events_total = %v, want %v", got, want)
		}
	})
}
