package server

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

// metrics are the server's Prometheus collectors, on its own registry.
type metrics struct {
	reg        *prometheus.Registry
	requests   *prometheus.CounterVec
	tokens     prometheus.Counter
	active     prometheus.Gauge
	slotsTotal prometheus.Gauge
	failures   prometheus.Counter
	cancelled  prometheus.Counter
	batchSize  prometheus.Histogram
}

func newMetrics() *metrics {
	reg := prometheus.NewRegistry()
	f := promauto.With(reg)
	return &metrics{
		reg: reg,
		requests: f.NewCounterVec(prometheus.CounterOpts{
			Name: "refengine_requests_total",
			Help: "HTTP requests served, by endpoint and status code.",
		}, []string{"endpoint", "code"}),
		tokens: f.NewCounter(prometheus.CounterOpts{
			Name: "refengine_tokens_generated_total",
			Help: "Tokens generated across all requests.",
		}),
		active: f.NewGauge(prometheus.GaugeOpts{
			Name: "refengine_active_slots",
			Help: "Slots currently generating.",
		}),
		slotsTotal: f.NewGauge(prometheus.GaugeOpts{
			Name: "refengine_slots",
			Help: "Configured slots (--parallel).",
		}),
		failures: f.NewCounter(prometheus.CounterOpts{
			Name: "refengine_injected_failures_total",
			Help: "Completion requests failed on purpose by --fail-rate.",
		}),
		cancelled: f.NewCounter(prometheus.CounterOpts{
			Name: "refengine_cancelled_total",
			Help: "Generations stopped because the client went away.",
		}),
		batchSize: f.NewHistogram(prometheus.HistogramOpts{
			Name:    "refengine_decode_batch_size",
			Help:    "Slots computed together per decode step under continuous batching.",
			Buckets: prometheus.LinearBuckets(1, 1, 8),
		}),
	}
}
