package metrics_test

import (
	"math"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"orchcore.dev/contracts/metrics"
)

// clone deep-copies the contract through YAML so a case can break it.
func clone(t *testing.T, c *metrics.Contract) *metrics.Contract {
	t.Helper()
	b, err := yaml.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var d metrics.Contract
	if err := yaml.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	return &d
}

func find(c *metrics.Contract, name string) *metrics.Metric {
	for i := range c.Metrics {
		if c.Metrics[i].Name == name {
			return &c.Metrics[i]
		}
	}
	panic("no metric " + name)
}

func TestValidateRefusesBrokenContracts(t *testing.T) {
	t.Attr("req", "OC-METRICS-7101")
	good := load(t)
	cases := []struct {
		name   string
		mutate func(c *metrics.Contract)
		want   string
	}{
		{"duplicate name", func(c *metrics.Contract) {
			c.Metrics = append(c.Metrics, c.Metrics[0])
		}, `"tasks_enqueued_total": declared twice`},
		{"camel case", func(c *metrics.Contract) {
			find(c, "queue_depth").Name = "queueDepth"
		}, `"queueDepth": not snake_case`},
		{"counter without _total", func(c *metrics.Contract) {
			find(c, "tokens_in_total").Name = "tokens_in"
		}, `"tokens_in": counter without the _total suffix`},
		{"gauge with _total", func(c *metrics.Contract) {
			find(c, "queue_depth").Name = "queue_depth_total"
		}, `"queue_depth_total": gauge with the _total suffix`},
		{"unknown type", func(c *metrics.Contract) {
			find(c, "queue_depth").Type = "summary"
		}, `type "summary"`},
		{"buckets not increasing", func(c *metrics.Contract) {
			find(c, "latency_decode_ms").Buckets[2] = 1
		}, `"latency_decode_ms": buckets not strictly increasing at 2`},
		{"infinite bucket", func(c *metrics.Contract) {
			m := find(c, "latency_decode_ms")
			m.Buckets = append(m.Buckets, math.Inf(1))
		}, `not finite`},
		{"histogram without buckets", func(c *metrics.Contract) {
			find(c, "latency_decode_ms").Buckets = nil
		}, `"latency_decode_ms": histogram without buckets`},
		{"buckets on a counter", func(c *metrics.Contract) {
			find(c, "tokens_in_total").Buckets = []float64{1}
		}, `buckets on a counter`},
		{"label without budget", func(c *metrics.Contract) {
			m := find(c, "queue_depth")
			m.Labels = append(m.Labels, "tenant")
		}, `"queue_depth": label "tenant" has no budget`},
		{"label twice", func(c *metrics.Contract) {
			m := find(c, "queue_depth")
			m.Labels = append(m.Labels, "class")
		}, `label "class" twice`},
		{"zero budget", func(c *metrics.Contract) {
			c.Labels[0].Budget = 0
		}, `budget 0`},
		{"unused label", func(c *metrics.Contract) {
			c.Labels = append(c.Labels, metrics.Label{Name: "tenant", Budget: 4})
		}, `label "tenant": used by no metric`},
		{"ms name without exception", func(c *metrics.Contract) {
			c.UnitExceptions = c.UnitExceptions[:1]
		}, `"latency_decode_ms": abbreviated unit "ms"`},
		{"exception for unknown metric", func(c *metrics.Contract) {
			c.UnitExceptions = append(c.UnitExceptions, metrics.Exception{Name: "nope_ms", Why: "x"})
		}, `unit exception "nope_ms": no such metric`},
		{"fold metric missing", func(c *metrics.Contract) {
			c.Fold.Metric = "nope_total"
		}, `fold: metric "nope_total" not in the contract`},
		{"no help", func(c *metrics.Contract) {
			find(c, "queue_depth").Help = ""
		}, `"queue_depth": no help text`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Attr("req", "OC-METRICS-7101")
			c := clone(t, good)
			if err := c.Validate(); err != nil {
				t.Fatalf("clone invalid before the change: %v", err)
			}
			tc.mutate(c)
			err := c.Validate()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Validate() = %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

func TestParseIsStrict(t *testing.T) {
	t.Attr("req", "OC-METRICS-7101")
	y := strings.Replace(string(metrics.YAML()), "version: 1", "version: 1\nextra: true", 1)
	if _, err := metrics.Parse([]byte(y)); err == nil || !strings.Contains(err.Error(), "extra") {
		t.Fatalf("Parse with an unknown field = %v, want an error naming it", err)
	}
	y = strings.Replace(string(metrics.YAML()), "type: gauge", "type: gauges", 1)
	if _, err := metrics.Parse([]byte(y)); err == nil || !strings.Contains(err.Error(), `"gauges"`) {
		t.Fatalf("Parse with a bad type = %v, want a validation error", err)
	}
}
