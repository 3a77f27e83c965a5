package dispatch_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/observe"
	"orchcore.dev/orchestrator-core/promexport"

	"orchcore.dev/test-harness/chaos/dispatch"
)

// TestExporterAttached: with the promexport exporter as the pool's
// observer and the dispatcher's sample sink, the registry counts every
// dispatch and carries the probed replicas' utilization.
func TestExporterAttached(t *testing.T) {
	reg := prometheus.NewRegistry()
	x, err := promexport.New(reg)
	if err != nil {
		t.Fatal(err)
	}
	cnt := &counter{ch: make(chan struct{}, 1)}
	pool := newPool(t, observe.Multi{x, cnt}, 64)
	eng := dispatch.FuncEngine(func(ctx context.Context, j *core.Job, tok func(int)) error { tok(2); return nil })
	probe := dispatch.ProbeFunc(func(ctx context.Context) (dispatch.Status, error) {
		return dispatch.Status{Ready: true, Slots: 2, Active: 1, EngineVersion: "v1", SamplerProfile: "s1"}, nil
	})
	d := dispatch.New(dispatch.Config{Pool: pool, ModelID: "m", Samples: x, ProbeEvery: 5 * time.Millisecond,
		Replicas: []dispatch.Replica{{ID: "a", Engine: eng, Probe: probe}}})
	d.Start(context.Background())
	defer d.Stop()
	time.Sleep(30 * time.Millisecond) // the first probe makes the replica known
	for i := range 10 {
		pool.Admit(task(fmt.Sprintf("t%d", i), "hi"))
	}
	d.Kick()
	deadline := time.After(10 * time.Second)
	for cnt.ended.Load() < 10 {
		select {
		case <-cnt.ch:
		case <-deadline:
			t.Fatalf("%d ended", cnt.ended.Load())
		}
	}
	fams, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range fams {
		names = append(names, f.GetName())
	}
	all := strings.Join(names, " ")
	if n := testutil.ToFloat64(tasksStarted(t, reg)); n != 10 {
		t.Fatalf("tasks started %v, want 10 (families: %s)", n, all)
	}
	for _, f := range fams {
		if f.GetName() == "gpu_utilization" {
			if v := f.GetMetric()[0].GetGauge().GetValue(); v != 0.5 {
				t.Fatalf("gpu_utilization %v, want 0.5 (1 of 2 slots busy)", v)
			}
			return
		}
	}
	t.Fatalf("no gpu_utilization family among %s", all)
}

// tasksStarted sums the tasks_started_total series.
func tasksStarted(t *testing.T, reg *prometheus.Registry) prometheus.Collector {
	t.Helper()
	fams, _ := reg.Gather()
	sum := 0.0
	for _, f := range fams {
		if strings.HasSuffix(f.GetName(), "tasks_started_total") {
			for _, m := range f.GetMetric() {
				sum += m.GetCounter().GetValue()
			}
		}
	}
	return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "sum"}, func() float64 { return sum })
}
