package runner

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"orchcore.dev/orchestrator-core/promexport"
)

// serveMetrics starts the exporter on its own registry and serves it at
// addr/metrics until stop is called.
func serveMetrics(addr string, log io.Writer) (*promexport.Exporter, func(), error) {
	reg := prometheus.NewRegistry()
	x, err := promexport.New(reg)
	if err != nil {
		return nil, nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, nil, fmt.Errorf("--metrics: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	if log != nil {
		fmt.Fprintf(log, "chaos: metrics on http://%s/metrics\n", ln.Addr())
	}
	return x, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	}, nil
}
