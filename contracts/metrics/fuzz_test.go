package metrics_test

import (
	"strings"
	"testing"

	"orchcore.dev/contracts/metrics"
)

// Parse never panics, and whatever it accepts is valid and renders.
func FuzzParse(f *testing.F) {
	f.Add(metrics.YAML())
	f.Add([]byte("version: 1\n"))
	f.Add([]byte("metrics: [{name: a_total, type: counter}]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := metrics.Parse(data)
		if err != nil {
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("Parse accepted an invalid contract: %v", err)
		}
		md := c.Markdown()
		for _, m := range c.Metrics {
			if !strings.Contains(md, "`"+m.Name+"`") {
				t.Fatalf("Markdown lacks %s", m.Name)
			}
		}
	})
}
