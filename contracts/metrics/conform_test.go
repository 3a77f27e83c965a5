package metrics_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"orchcore.dev/contracts/metrics"
)

// exact builds families that match the contract to the letter, one series
// per metric with value "v" for every label.
func exact(c *metrics.Contract) []metrics.Family {
	var fams []metrics.Family
	for _, m := range c.Metrics {
		s := metrics.Series{Labels: map[string]string{}, Buckets: slices.Clone(m.Buckets)}
		for _, l := range m.Labels {
			s.Labels[l] = "v"
		}
		fams = append(fams, metrics.Family{Name: m.Name, Type: m.Type, Series: []metrics.Series{s}})
	}
	return fams
}

func family(fams []metrics.Family, name string) *metrics.Family {
	for i := range fams {
		if fams[i].Name == name {
			return &fams[i]
		}
	}
	panic("no family " + name)
}

func TestConformAcceptsExactFamilies(t *testing.T) {
	t.Attr("req", "OC-METRICS-7101")
	c := load(t)
	if errs := c.Conform(exact(c)); errs != nil {
		t.Fatalf("Conform(exact) = %v, want none", errs)
	}
}

// The linter must be shown to fail: each broken exposition is reported.
func TestConformReportsEachDeviation(t *testing.T) {
	t.Attr("req", "OC-METRICS-7101")
	c := load(t)
	cases := []struct {
		name   string
		mutate func(fams []metrics.Family) []metrics.Family
		want   string
	}{
		{"wrong bucket", func(fams []metrics.Family) []metrics.Family {
			family(fams, "latency_first_token_ms").Series[0].Buckets[0] = 25
			return fams
		}, `metric "latency_first_token_ms": buckets [25 100`},
		{"missing bucket", func(fams []metrics.Family) []metrics.Family {
			s := &family(fams, "latency_decode_ms").Series[0]
			s.Buckets = s.Buckets[:len(s.Buckets)-1]
			return fams
		}, `metric "latency_decode_ms": buckets`},
		{"extra label", func(fams []metrics.Family) []metrics.Family {
			family(fams, "tasks_rejected_total").Series[0].Labels["engine_version"] = "1.2"
			return fams
		}, `metric "tasks_rejected_total": labels [engine,engine_version,reason], contract says [engine,reason]`},
		{"missing label", func(fams []metrics.Family) []metrics.Family {
			delete(family(fams, "queue_depth").Series[0].Labels, "class")
			return fams
		}, `metric "queue_depth": labels [pool_id], contract says [class,pool_id]`},
		{"wrong type", func(fams []metrics.Family) []metrics.Family {
			family(fams, "queue_depth").Type = metrics.Counter
			return fams
		}, `metric "queue_depth": type counter, contract says gauge`},
		{"missing metric", func(fams []metrics.Family) []metrics.Family {
			return slices.DeleteFunc(fams, func(f metrics.Family) bool { return f.Name == "vram_used_bytes" })
		}, `metric "vram_used_bytes": missing`},
		{"extra metric", func(fams []metrics.Family) []metrics.Family {
			return append(fams, metrics.Family{Name: "go_goroutines", Type: metrics.Gauge})
		}, `metric "go_goroutines": not in the contract`},
		{"exposed twice", func(fams []metrics.Family) []metrics.Family {
			return append(fams, fams[0])
		}, `exposed twice`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Attr("req", "OC-METRICS-7101")
			errs := c.Conform(tc.mutate(exact(c)))
			if len(errs) != 1 || !strings.Contains(errs[0].Error(), tc.want) {
				t.Fatalf("Conform = %v, want exactly one problem containing %q", errs, tc.want)
			}
		})
	}
}

func TestWithinBudgets(t *testing.T) {
	t.Attr("req", "OC-METRICS-7102")
	c := load(t)
	// class has a budget of 8 in the contract.
	series := func(n int, extra ...string) []metrics.Series {
		var ss []metrics.Series
		for i := range n {
			ss = append(ss, metrics.Series{Labels: map[string]string{"pool_id": "p", "class": fmt.Sprint("c", i)}})
		}
		for _, v := range extra {
			ss = append(ss, metrics.Series{Labels: map[string]string{"pool_id": "p", "class": v}})
		}
		return ss
	}
	ok := []metrics.Family{{Name: "queue_depth", Type: metrics.Gauge, Series: series(8, "__other__")}}
	if errs := c.WithinBudgets(ok); errs != nil {
		t.Fatalf("8 classes and the fold value: %v, want none", errs)
	}
	over := []metrics.Family{{Name: "queue_depth", Type: metrics.Gauge, Series: series(9)}}
	errs := c.WithinBudgets(over)
	want := `metric "queue_depth": label "class" has 9 values, budget 8`
	if len(errs) != 1 || errs[0].Error() != want {
		t.Fatalf("9 classes: %v, want [%s]", errs, want)
	}
}
