package metrics_test

import (
	"slices"
	"strings"
	"testing"

	"orchcore.dev/contracts/metrics"
)

func load(t *testing.T) *metrics.Contract {
	t.Helper()
	c, err := metrics.Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return c
}

// The metrics the issue names, with the label sets it fixes.
func TestContractCoversRequiredMetrics(t *testing.T) {
	t.Attr("req", "OC-METRICS-7101")
	t.Attr("req", "OC-CORE-1041")
	c := load(t)
	want := map[string]struct {
		typ    string
		labels []string // nil: the issue leaves them open
	}{
		"tasks_enqueued_total":                {metrics.Counter, nil},
		"tasks_started_total":                 {metrics.Counter, nil},
		"tasks_canceled_total":                {metrics.Counter, nil},
		"tasks_rejected_total":                {metrics.Counter, []string{"engine", "reason"}},
		"tasks_dropped_total":                 {metrics.Counter, nil},
		"queue_depth":                         {metrics.Gauge, nil},
		"admission_share":                     {metrics.Gauge, nil},
		"admission_backpressure_events_total": {metrics.Counter, []string{"engine", "policy"}},
		"placement_decisions_total":           {metrics.Counter, []string{"outcome", "pinned", "fallback"}},
		"placement_candidates_considered":     {metrics.Histogram, nil},
		"latency_first_token_ms":              {metrics.Histogram, nil},
		"latency_decode_ms":                   {metrics.Histogram, nil},
		"kv_cache_usage_ratio":                {metrics.Gauge, nil},
		"gpu_utilization":                     {metrics.Gauge, nil},
		"vram_used_bytes":                     {metrics.Gauge, nil},
		"tokens_in_total":                     {metrics.Counter, nil},
		"tokens_out_total":                    {metrics.Counter, nil},
		"preload_outcomes_total":              {metrics.Counter, nil},
		"watchdog_aborts_total":               {metrics.Counter, nil},
		"tasks_retried_total":                 {metrics.Counter, nil},
		"metrics_label_overflow_total":        {metrics.Counter, []string{"metric", "label"}},
	}
	for name, w := range want {
		m, ok := c.Metric(name)
		if !ok {
			t.Errorf("%s: missing from the contract", name)
			continue
		}
		if m.Type != w.typ {
			t.Errorf("%s: type %s, want %s", name, m.Type, w.typ)
		}
		if w.labels != nil && !slices.Equal(m.Labels, w.labels) {
			t.Errorf("%s: labels %v, want %v", name, m.Labels, w.labels)
		}
		if slices.Contains(m.Labels, "engine_version") {
			t.Errorf("%s: carries engine_version", name)
		}
	}
}

func TestLatencyBuckets(t *testing.T) {
	t.Attr("req", "OC-METRICS-7103")
	c := load(t)
	for name, span := range map[string][2]float64{
		"latency_first_token_ms": {50, 3000},
		"latency_decode_ms":      {250, 12000},
	} {
		m, _ := c.Metric(name)
		if len(m.Buckets) < 5 {
			t.Fatalf("%s: %d buckets, want at least 5", name, len(m.Buckets))
		}
		if got := [2]float64{m.Buckets[0], m.Buckets[len(m.Buckets)-1]}; got != span {
			t.Errorf("%s: buckets span %v, want %v", name, got, span)
		}
		if !c.Excepted(name) {
			t.Errorf("%s: not a documented unit exception", name)
		}
	}
}

func TestOnlyLatencyNamesAreUnitExceptions(t *testing.T) {
	t.Attr("req", "OC-METRICS-7101")
	c := load(t)
	var names []string
	for _, e := range c.UnitExceptions {
		names = append(names, e.Name)
	}
	if want := []string{"latency_first_token_ms", "latency_decode_ms"}; !slices.Equal(names, want) {
		t.Errorf("unit exceptions %v, want %v", names, want)
	}
}

func TestEveryLabelHasABudget(t *testing.T) {
	t.Attr("req", "OC-METRICS-7102")
	c := load(t)
	for _, m := range c.Metrics {
		for _, l := range m.Labels {
			if c.Budget(l) < 1 {
				t.Errorf("%s: label %s has no budget", m.Name, l)
			}
		}
	}
	if c.Fold.Value != "__other__" || c.Fold.Metric != "metrics_label_overflow_total" {
		t.Errorf("fold rule %+v, want __other__ counted by metrics_label_overflow_total", c.Fold)
	}
}

func TestYAMLIsTheEmbeddedFile(t *testing.T) {
	y := metrics.YAML()
	if !strings.Contains(string(y), "name: tasks_enqueued_total") {
		t.Fatal("YAML() does not look like the contract file")
	}
	y[0] ^= 0xff // a copy: changing it must not change the contract
	if _, err := metrics.Load(); err != nil {
		t.Fatalf("Load after changing the copy: %v", err)
	}
}
