package promexport_test

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"orchcore.dev/contracts/metrics"
	"orchcore.dev/orchestrator-core/observe"
	"orchcore.dev/orchestrator-core/promexport"
	"orchcore.dev/orchestrator-core/promexport/internal/sample"
)

func contract(t *testing.T) *metrics.Contract {
	t.Helper()
	c, err := metrics.Load()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// driven returns a fresh registry with an exporter that has seen one
// event of every kind.
func driven(t *testing.T, opts ...promexport.Option) *prometheus.Registry {
	t.Helper()
	reg := prometheus.NewRegistry()
	x, err := promexport.New(reg, opts...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	for _, e := range sample.Events() {
		x.Observe(e)
	}
	return reg
}

func families(t *testing.T, g prometheus.Gatherer) []metrics.Family {
	t.Helper()
	fams, err := promexport.Families(g)
	if err != nil {
		t.Fatal(err)
	}
	return fams
}

// total sums a family's counter or gauge values over the series whose
// labels include match.
func total(t *testing.T, g prometheus.Gatherer, name string, match map[string]string) (sum float64, n int) {
	t.Helper()
	mfs, err := g.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	series:
		for _, m := range mf.GetMetric() {
			got := map[string]string{}
			for _, lp := range m.GetLabel() {
				got[lp.GetName()] = lp.GetValue()
			}
			for k, v := range match {
				if got[k] != v {
					continue series
				}
			}
			n++
			sum += m.GetCounter().GetValue() + m.GetGauge().GetValue()
		}
	}
	return sum, n
}

var _ observe.Observer = (*promexport.Exporter)(nil)

// byLabel gathers once and sums a family's values per value of label.
func byLabel(t testing.TB, g prometheus.Gatherer, name, label string) map[string]float64 {
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
			for _, lp := range m.GetLabel() {
				if lp.GetName() == label {
					out[lp.GetValue()] += m.GetCounter().GetValue() + m.GetGauge().GetValue()
				}
			}
		}
	}
	return out
}
