package promexport_test

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/backoff"
	"orchcore.dev/orchestrator-core/observe"
	"orchcore.dev/orchestrator-core/promexport"
	"orchcore.dev/orchestrator-core/queue"
	"orchcore.dev/orchestrator-core/scheduling"
)

// exported returns a fresh registry and the exporter registered on it.
func exported(t *testing.T) (*prometheus.Registry, *promexport.Exporter) {
	t.Helper()
	reg := prometheus.NewRegistry()
	x, err := promexport.New(reg)
	if err != nil {
		t.Fatal(err)
	}
	return reg, x
}

// pool builds a pool with one class "batch" of capacity 4, observed by x
// on clock.
func pool(t *testing.T, x observe.Observer, clock core.Clock, mod func(*core.Config)) *core.Pool {
	t.Helper()
	cfg := core.Config{
		ID:       "p1",
		Classes:  []queue.Class{{Name: "batch", Rank: 1, Weight: 1, Capacity: 4}},
		Observer: x,
		Clock:    clock,
	}
	if mod != nil {
		mod(&cfg)
	}
	p, err := core.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// ready is a snapshot of pool p1 with one Ready replica r1.
var ready = scheduling.Snapshot{
	Pools: []scheduling.Pool{{ID: "p1"}},
	Replicas: []scheduling.Replica{{ID: "r1", PoolID: "p1", Ready: true, SlotsTotal: 4,
		Engine: "llamacpp", EngineVersion: "b1", SamplerProfileVersion: "s1", ModelDigest: "d1"}},
}

// histogram returns the sample count, the sum and the cumulative count
// at bucket le of the one series of name.
func histogram(t *testing.T, g prometheus.Gatherer, name string, le float64) (count uint64, sum float64, atLE uint64) {
	t.Helper()
	mfs, err := g.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		if len(mf.GetMetric()) != 1 {
			t.Fatalf("%s has %d series, want 1", name, len(mf.GetMetric()))
		}
		h := mf.GetMetric()[0].GetHistogram()
		for _, b := range h.GetBucket() {
			if b.GetUpperBound() == le {
				atLE = b.GetCumulativeCount()
			}
		}
		return h.GetSampleCount(), h.GetSampleSum(), atLE
	}
	return 0, 0, 0
}

// A first token in the dispatch's millisecond is observed: 0 ms lands in
// the first bucket (le 50 in the contract); later tokens are not.
func TestFirstTokenAtZeroMs(t *testing.T) {
	t.Attr("req", "OC-CORE-1041")
	reg, x := exported(t)
	clock := &core.ManualClock{}
	p := pool(t, x, clock, nil)
	if _, err := p.Admit(core.Task{ID: "a", Class: "batch"}); err != nil {
		t.Fatal(err)
	}
	clock.Advance(7)
	if _, ok := p.Next(ready); !ok {
		t.Fatal("not dispatched")
	}
	for range 2 {
		if err := p.Token("a", 3); err != nil {
			t.Fatal(err)
		}
	}
	count, sum, first := histogram(t, reg, "latency_first_token_ms", 50)
	if count != 1 || sum != 0 || first != 1 {
		t.Errorf("latency_first_token_ms: count %d, sum %v, le=50 %d; want 1, 0, 1", count, sum, first)
	}
	if got, _ := total(t, reg, "tokens_out_total", nil); got != 6 {
		t.Errorf("tokens_out_total = %v, want 6", got)
	}
}

// An event that only carries FirstTokenMs, as producers did before the
// FirstToken flag, is still read as a first token; a token event with
// neither is not.
func TestFirstTokenWithoutFlag(t *testing.T) {
	t.Attr("req", "OC-CORE-1041")
	reg, x := exported(t)
	x.Observe(observe.Event{Kind: observe.Token, PoolID: "p", Engine: "e", Tokens: 1, FirstTokenMs: 120})
	x.Observe(observe.Event{Kind: observe.Token, PoolID: "p", Engine: "e", Tokens: 1})
	if count, sum, _ := histogram(t, reg, "latency_first_token_ms", 50); count != 1 || sum != 120 {
		t.Errorf("latency_first_token_ms: count %d, sum %v; want 1 and 120", count, sum)
	}
}

// A pinned task refused at placement leaves its queue: queue_depth drops
// as for any other queue-leaving event.
func TestRejectedAtPlacementRefreshesQueueDepth(t *testing.T) {
	t.Attr("req", "OC-CORE-1041")
	reg, x := exported(t)
	p := pool(t, x, &core.ManualClock{}, nil) // pinning not allowed
	for _, tk := range []core.Task{{ID: "pin", Class: "batch", Pin: "p1"}, {ID: "b", Class: "batch"}} {
		if _, err := p.Admit(tk); err != nil {
			t.Fatal(err)
		}
	}
	depth := map[string]string{"pool_id": "p1", "class": "batch"}
	if got, _ := total(t, reg, "queue_depth", depth); got != 2 {
		t.Fatalf("queue_depth after two admissions = %v, want 2", got)
	}
	d, _ := p.Next(ready)
	if d.Outcome != core.Refused || d.TaskID != "pin" {
		t.Fatalf("Next = %+v, want the pinned task refused", d)
	}
	if got, _ := total(t, reg, "queue_depth", depth); got != 1 {
		t.Errorf("queue_depth after the refusal at placement = %v, want 1", got)
	}
	if got, _ := total(t, reg, "tasks_rejected_total", map[string]string{"reason": "INVALID_PARAMS"}); got != 1 {
		t.Errorf("tasks_rejected_total{INVALID_PARAMS} = %v, want 1", got)
	}
}

// A refusal at admission of a class no pool reported opens no
// queue_depth series, and one of a known class leaves its depth right.
func TestRejectedAtAdmissionKeepsQueueDepth(t *testing.T) {
	t.Attr("req", "OC-CORE-1041")
	reg, x := exported(t)
	x.Observe(observe.Event{Kind: observe.Rejected, PoolID: "p1", Class: "nope", Reason: "INVALID_PARAMS"})
	if _, n := total(t, reg, "queue_depth", nil); n != 0 {
		t.Errorf("queue_depth has %d series after a refused unknown class, want 0", n)
	}
	p := pool(t, x, &core.ManualClock{}, func(c *core.Config) { c.Admission = queue.Reject })
	for i := range 5 {
		p.Admit(core.Task{ID: string(rune('a' + i)), Class: "batch"}) // the fifth is refused: capacity 4
	}
	if got, _ := total(t, reg, "tasks_rejected_total", map[string]string{"reason": "QUEUE_FULL"}); got != 1 {
		t.Fatalf("tasks_rejected_total{QUEUE_FULL} = %v, want 1", got)
	}
	if got, n := total(t, reg, "queue_depth", nil); n != 1 || got != 4 {
		t.Errorf("queue_depth = %v over %d series, want 4 over 1", got, n)
	}
}

// tasks_started_total counts jobs, a retry's included, as its contract
// help says ("Jobs dispatched to a replica, retries included").
func TestStartedCountsRetries(t *testing.T) {
	t.Attr("req", "OC-CORE-1041")
	reg, x := exported(t)
	p := pool(t, x, &core.ManualClock{}, func(c *core.Config) {
		c.Retry = backoff.Config{BaseMs: 0, CapMs: 0, MaxRetries: 1}
	})
	if _, err := p.Admit(core.Task{ID: "a", Class: "batch"}); err != nil {
		t.Fatal(err)
	}
	if _, ok := p.Next(ready); !ok {
		t.Fatal("not dispatched")
	}
	if err := p.Fail("a", "ENGINE_ERROR"); err != nil {
		t.Fatal(err)
	}
	if d, ok := p.Next(ready); !ok || d.Job.Attempt != 2 {
		t.Fatalf("retry not dispatched: %+v", d)
	}
	p1 := map[string]string{"pool_id": "p1"}
	for name, want := range map[string]float64{"tasks_enqueued_total": 1, "tasks_retried_total": 1, "tasks_started_total": 2} {
		if got, _ := total(t, reg, name, p1); got != want {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
}
