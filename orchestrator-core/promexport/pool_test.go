package promexport_test

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/promexport"
	"orchcore.dev/orchestrator-core/queue"
	"orchcore.dev/orchestrator-core/scheduling"
)

// The exporter behind a real pool: queue depth, drops, rejects and
// dispatches as the core reports them.
func TestPoolFeedsExporter(t *testing.T) {
	t.Attr("req", "OC-CORE-1041")
	reg := prometheus.NewRegistry()
	x, err := promexport.New(reg)
	if err != nil {
		t.Fatal(err)
	}
	clock := &core.ManualClock{}
	newPool := func(id string, policy queue.Policy) *core.Pool {
		p, err := core.New(core.Config{
			ID: id,
			Classes: []queue.Class{
				{Name: "interactive", Rank: 2, Weight: 3, Capacity: 2},
				{Name: "batch", Rank: 1, Weight: 1, Capacity: 1},
			},
			Admission: policy,
			Observer:  x,
			Clock:     clock,
		})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	p := newPool("p1", queue.DropLRU)
	for _, tk := range []core.Task{
		{ID: "b1", Class: "batch"}, {ID: "b2", Class: "batch"}, // evicts b1
		{ID: "i1", Class: "interactive"}, {ID: "i2", Class: "interactive"},
		{ID: "i3", Class: "interactive"}, // evicts i1
	} {
		if _, err := p.Admit(tk); err != nil {
			t.Fatalf("admit %s: %v", tk.ID, err)
		}
	}
	clock.Advance(40)
	snap := scheduling.Snapshot{
		Pools: []scheduling.Pool{{ID: "p1"}},
		Replicas: []scheduling.Replica{{ID: "r1", PoolID: "p1", Ready: true, SlotsTotal: 2,
			Engine: "llamacpp", EngineVersion: "b1", SamplerProfileVersion: "s1", ModelDigest: "d1"}},
	}
	d, ok := p.Next(snap)
	if !ok {
		t.Fatalf("nothing dispatched: %+v", d)
	}
	job := d.Job
	clock.Advance(25)
	if err := p.Token(job.Task.ID, 5); err != nil {
		t.Fatal(err)
	}
	clock.Advance(275)
	if err := p.Complete(job.Task.ID); err != nil {
		t.Fatal(err)
	}
	queued := "b2"
	if job.Task.ID == "b2" {
		queued = "i2"
	}
	if _, err := p.Cancel(queued); err != nil {
		t.Fatal(err)
	}

	r := newPool("p2", queue.Reject)
	r.Admit(core.Task{ID: "x1", Class: "batch"})
	if _, err := r.Admit(core.Task{ID: "x2", Class: "batch"}); err == nil {
		t.Fatal("second batch task admitted past capacity 1")
	}

	p1 := map[string]string{"pool_id": "p1"}
	for _, tc := range []struct {
		name  string
		match map[string]string
		want  float64
	}{
		{"tasks_enqueued_total", p1, 5},
		{"tasks_dropped_total", map[string]string{"pool_id": "p1", "reason": "QUEUE_FULL_DROP_LRU"}, 2},
		{"admission_backpressure_events_total", map[string]string{"policy": "drop-lru"}, 2},
		{"admission_backpressure_events_total", map[string]string{"policy": "reject"}, 1},
		{"tasks_rejected_total", map[string]string{"reason": "QUEUE_FULL"}, 1},
		{"tasks_started_total", p1, 1},
		{"tasks_completed_total", p1, 1},
		{"tokens_out_total", map[string]string{"pool_id": "p1", "engine": "llamacpp"}, 5},
		{"tasks_canceled_total", p1, 1},
		// 5 admitted, 2 dropped, 1 dispatched, 1 canceled: 1 still queued.
		{"queue_depth", p1, 1},
		{"queue_depth", map[string]string{"pool_id": "p2"}, 1},
	} {
		if got, _ := total(t, reg, tc.name, tc.match); got != tc.want {
			t.Errorf("%s%v = %v, want %v", tc.name, tc.match, got, tc.want)
		}
	}
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][2]float64{"latency_first_token_ms": {1, 25}, "latency_decode_ms": {1, 300}}
	for _, mf := range mfs {
		w, ok := want[mf.GetName()]
		if !ok {
			continue
		}
		delete(want, mf.GetName())
		h := mf.GetMetric()[0].GetHistogram()
		if float64(h.GetSampleCount()) != w[0] || h.GetSampleSum() != w[1] {
			t.Errorf("%s: count %d sum %v, want %v and %v", mf.GetName(), h.GetSampleCount(), h.GetSampleSum(), w[0], w[1])
		}
	}
	for name := range want {
		t.Errorf("%s not exposed after a completed job", name)
	}
}
