package promexport_test

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"orchcore.dev/orchestrator-core/promexport"
	"orchcore.dev/orchestrator-core/promexport/internal/sample"
)

// BenchmarkObserve feeds one event of every kind per iteration.
func BenchmarkObserve(b *testing.B) {
	x, err := promexport.New(prometheus.NewRegistry())
	if err != nil {
		b.Fatal(err)
	}
	evs := sample.Events()
	b.ReportAllocs()
	for b.Loop() {
		for _, e := range evs {
			x.Observe(e)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(evs)), "ns/event")
}
