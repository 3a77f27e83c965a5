package promexport_test

import (
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"orchcore.dev/contracts/metrics"
	"orchcore.dev/orchestrator-core/observe"
	"orchcore.dev/orchestrator-core/promexport"
)

func TestRegistryConformsToContract(t *testing.T) {
	t.Attr("req", "OC-METRICS-7101")
	t.Attr("req", "OC-CORE-1041")
	c := contract(t)
	fams := families(t, driven(t))
	if errs := c.Conform(fams); errs != nil {
		for _, err := range errs {
			t.Error(err)
		}
	}
	if len(fams) != len(c.Metrics) {
		t.Errorf("%d families exposed, contract has %d metrics", len(fams), len(c.Metrics))
	}
}

// A registry built from a contract with a wrong bucket or an extra label
// is caught when linted against the real contract.
func TestConformCatchesDriftedRegistry(t *testing.T) {
	t.Attr("req", "OC-METRICS-7101")
	t.Attr("req", "OC-METRICS-7103")
	c := contract(t)
	y := string(metrics.YAML())
	drifted := strings.Replace(y, "buckets: [50, 100, 150,", "buckets: [50, 100, 175,", 1)
	if drifted == y {
		t.Fatal("test setup: bucket line not found in the contract")
	}
	d, err := metrics.Parse([]byte(drifted))
	if err != nil {
		t.Fatal(err)
	}
	errs := c.Conform(families(t, driven(t, promexport.WithContract(d))))
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), `"latency_first_token_ms": buckets [50 100 175`) {
		t.Fatalf("Conform = %v, want one bucket problem on latency_first_token_ms", errs)
	}

	// An extra label on a contract metric, as a hand-built registry would
	// expose it.
	raw := prometheus.NewRegistry()
	rejected := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "tasks_rejected_total", Help: "x"},
		[]string{"engine", "engine_version", "reason"})
	raw.MustRegister(rejected)
	rejected.WithLabelValues("llamacpp", "b4500", "QUEUE_FULL").Inc()
	errs = c.Conform(families(t, raw))
	want := `metric "tasks_rejected_total": labels [engine,engine_version,reason], contract says [engine,reason]`
	if !slices.ContainsFunc(errs, func(e error) bool { return e.Error() == want }) {
		t.Fatalf("Conform = %v, want %q among the problems", errs, want)
	}

	// A metric outside the contract, registered beside the exporter's.
	reg := driven(t)
	extra := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "tasks_orphaned_total", Help: "x"}, []string{"pool_id"})
	reg.MustRegister(extra)
	extra.WithLabelValues("p").Inc()
	errs = c.Conform(families(t, reg))
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), `"tasks_orphaned_total": not in the contract`) {
		t.Fatalf("Conform = %v, want the stray metric reported", errs)
	}
}

// New refuses a contract that differs from what the exporter feeds.
func TestNewRefusesContractTheCodeDoesNotFollow(t *testing.T) {
	t.Attr("req", "OC-METRICS-7101")
	y := string(metrics.YAML())
	cases := map[string]struct{ old, new, want string }{
		"extra label": {"labels: [engine, reason]", "labels: [engine, reason, pool_id]",
			"tasks_rejected_total has labels [engine reason pool_id] in the contract, the exporter feeds [engine reason]"},
		"other type": {"  - name: queue_depth\n    type: gauge", "  - name: queue_depth\n    type: histogram\n    buckets: [1]",
			"queue_depth is a histogram in the contract, the exporter feeds a gauge"},
		"unknown metric": {"  - name: queue_depth\n", "  - name: queue_depth_max\n    type: gauge\n    unit: tasks\n    labels: [pool_id]\n    source: x\n    help: x.\n  - name: queue_depth\n",
			"contract metric queue_depth_max is not fed by the exporter"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Attr("req", "OC-METRICS-7101")
			changed := strings.Replace(y, tc.old, tc.new, 1)
			if changed == y {
				t.Fatal("test setup: text not found in the contract")
			}
			d, err := metrics.Parse([]byte(changed))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			_, err = promexport.New(prometheus.NewRegistry(), promexport.WithContract(d))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("New = %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

func TestNewErrors(t *testing.T) {
	if _, err := promexport.New(nil); err == nil {
		t.Error("New(nil) succeeded")
	}
	reg := prometheus.NewRegistry()
	if _, err := promexport.New(reg); err != nil {
		t.Fatal(err)
	}
	_, err := promexport.New(reg)
	var are prometheus.AlreadyRegisteredError
	if !errors.As(err, &are) {
		t.Errorf("second New on one registry = %v, want an AlreadyRegisteredError", err)
	}
}

// The values each event kind feeds, checked against hand-written
// exposition text.
func TestEventsFeedTheirMetrics(t *testing.T) {
	t.Attr("req", "OC-CORE-1041")
	reg := driven(t)
	want := `
# HELP tasks_rejected_total Tasks refused before or at admission; engine_version is left out on purpose to bound cardinality.
# TYPE tasks_rejected_total counter
tasks_rejected_total{engine="llamacpp",reason="CTX_EXCEEDED"} 1
tasks_rejected_total{engine="llamacpp",reason="QUEUE_FULL"} 1
# HELP admission_backpressure_events_total Times a full queue made the admission policy refuse or evict a task.
# TYPE admission_backpressure_events_total counter
admission_backpressure_events_total{engine="llamacpp",policy="drop-lru"} 1
admission_backpressure_events_total{engine="llamacpp",policy="reject"} 1
# HELP placement_decisions_total Placement decisions by outcome (assigned or the placement reason).
# TYPE placement_decisions_total counter
placement_decisions_total{fallback="false",outcome="NO_CAPACITY",pinned="false"} 1
placement_decisions_total{fallback="false",outcome="assigned",pinned="false"} 1
# HELP placement_candidates_filtered_total Replicas removed by a placement filter, per reason.
# TYPE placement_candidates_filtered_total counter
placement_candidates_filtered_total{pool_id="pool-a",reason="INSUFFICIENT_CTX"} 4
placement_candidates_filtered_total{pool_id="pool-a",reason="NO_CAPACITY"} 2
# HELP queue_depth Tasks waiting in a class queue.
# TYPE queue_depth gauge
queue_depth{class="background",pool_id="pool-a"} 1
queue_depth{class="interactive",pool_id="pool-a"} 1
# HELP tokens_in_total Prompt tokens of completed jobs.
# TYPE tokens_in_total counter
tokens_in_total{engine="llamacpp",pool_id="pool-a"} 120
# HELP tokens_out_total Output tokens produced.
# TYPE tokens_out_total counter
tokens_out_total{engine="llamacpp",pool_id="pool-a"} 16
# HELP vram_used_bytes VRAM used on the replica's devices.
# TYPE vram_used_bytes gauge
vram_used_bytes{pool_id="pool-a",replica_id="r1"} 8.589934592e+09
# HELP watchdog_aborts_total Jobs aborted by the watchdog; reason is WALL or IDLE.
# TYPE watchdog_aborts_total counter
watchdog_aborts_total{pool_id="pool-a",reason="IDLE"} 1
# HELP latency_first_token_ms Time from dispatch to the first output token in milliseconds.
# TYPE latency_first_token_ms histogram
latency_first_token_ms_bucket{engine="llamacpp",pool_id="pool-a",le="50"} 0
latency_first_token_ms_bucket{engine="llamacpp",pool_id="pool-a",le="100"} 0
latency_first_token_ms_bucket{engine="llamacpp",pool_id="pool-a",le="150"} 0
latency_first_token_ms_bucket{engine="llamacpp",pool_id="pool-a",le="250"} 1
latency_first_token_ms_bucket{engine="llamacpp",pool_id="pool-a",le="400"} 1
latency_first_token_ms_bucket{engine="llamacpp",pool_id="pool-a",le="600"} 1
latency_first_token_ms_bucket{engine="llamacpp",pool_id="pool-a",le="800"} 1
latency_first_token_ms_bucket{engine="llamacpp",pool_id="pool-a",le="1000"} 1
latency_first_token_ms_bucket{engine="llamacpp",pool_id="pool-a",le="1500"} 1
latency_first_token_ms_bucket{engine="llamacpp",pool_id="pool-a",le="2000"} 1
latency_first_token_ms_bucket{engine="llamacpp",pool_id="pool-a",le="3000"} 1
latency_first_token_ms_bucket{engine="llamacpp",pool_id="pool-a",le="+Inf"} 1
latency_first_token_ms_sum{engine="llamacpp",pool_id="pool-a"} 180
latency_first_token_ms_count{engine="llamacpp",pool_id="pool-a"} 1
`
	names := []string{"tasks_rejected_total", "admission_backpressure_events_total", "placement_decisions_total",
		"placement_candidates_filtered_total", "queue_depth", "tokens_in_total", "tokens_out_total",
		"vram_used_bytes", "watchdog_aborts_total", "latency_first_token_ms"}
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), names...); err != nil {
		t.Error(err)
	}
}

func TestAdmissionShare(t *testing.T) {
	t.Attr("req", "OC-CORE-1041")
	reg := prometheus.NewRegistry()
	x, err := promexport.New(reg)
	if err != nil {
		t.Fatal(err)
	}
	for _, class := range []string{"interactive", "interactive", "interactive", "batch"} {
		x.Observe(observe.Event{Kind: observe.Admitted, PoolID: "p", Class: class})
	}
	x.Observe(observe.Event{Kind: observe.Dispatched, PoolID: "p", Class: "batch"})
	x.Observe(observe.Event{Kind: observe.Admitted, PoolID: "q", Class: "batch"})
	for _, tc := range []struct {
		pool, class, stage string
		want               float64
	}{
		{"p", "interactive", "admitted", 0.75},
		{"p", "batch", "admitted", 0.25},
		{"p", "batch", "dispatched", 1},
		{"q", "batch", "admitted", 1},
	} {
		got, n := total(t, reg, "admission_share", map[string]string{"pool_id": tc.pool, "class": tc.class, "stage": tc.stage})
		if n != 1 || got != tc.want {
			t.Errorf("admission_share{%s,%s,%s} = %v over %d series, want %v", tc.pool, tc.class, tc.stage, got, n, tc.want)
		}
	}
}

func TestOddEventsDoNotPanic(t *testing.T) {
	reg := prometheus.NewRegistry()
	x, err := promexport.New(reg)
	if err != nil {
		t.Fatal(err)
	}
	x.Observe(observe.Event{Kind: observe.Token, Tokens: -3})
	x.Observe(observe.Event{Kind: observe.Replica})
	x.Observe(observe.Event{Kind: 200})
	x.Observe(observe.Event{})
	if got, _ := total(t, reg, "tokens_out_total", nil); got != 0 {
		t.Errorf("tokens_out_total = %v after a negative count, want 0", got)
	}
	if _, n := total(t, reg, "gpu_utilization", nil); n != 0 {
		t.Errorf("gpu_utilization has %d series after a sampleless Replica event, want 0", n)
	}
}

func TestConcurrentObserve(t *testing.T) {
	reg := prometheus.NewRegistry()
	x, err := promexport.New(reg)
	if err != nil {
		t.Fatal(err)
	}
	const workers, each = 8, 500
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				x.Observe(observe.Event{Kind: observe.Admitted, PoolID: "p", Class: []string{"a", "b"}[(w+i)%2]})
				x.Observe(observe.Event{Kind: observe.Token, PoolID: "p", Tokens: 2})
			}
		})
	}
	wg.Wait()
	if got, _ := total(t, reg, "tasks_enqueued_total", nil); got != workers*each {
		t.Errorf("tasks_enqueued_total = %v, want %d", got, workers*each)
	}
	if got, _ := total(t, reg, "tokens_out_total", nil); got != 2*workers*each {
		t.Errorf("tokens_out_total = %v, want %d", got, 2*workers*each)
	}
	if got, _ := total(t, reg, "admission_share", map[string]string{"class": "a"}); got != 0.5 {
		t.Errorf("admission_share of a = %v, want 0.5", got)
	}
}
