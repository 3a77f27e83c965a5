package client_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"orchcore.dev/test-harness/refengine/client"
)

// BenchmarkStreamConns measures one streamed completion per op, back to
// back on one goroutine, under the two ways of surviving llama.cpp's close after
// a stream: closing stream connections (the choice) and an
// Idempotency-Key that lets Go's transport retry on the dead connection;
// "naive" (Go's default for a POST) shows how often requests fail without
// either.
// "closing" is a server that closes after each stream (llama.cpp);
// "keepalive" is Go's server, which keeps connections.
func BenchmarkStreamConns(b *testing.B) {
	keep := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			w.Write([]byte(`{"status":"ok"}`))
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		w.Write([]byte(strings.Join(twoTokens, "")))
	}))
	b.Cleanup(keep.Close)
	closing := closingEngine(b)
	modes := []struct {
		name string
		opts []client.Option
	}{
		{"close-streams", nil},
		{"idempotency-key", []client.Option{client.WithIdempotencyKey}},
		{"naive", []client.Option{client.WithNaiveConns}}, // Go's default: the failure rate
	}
	servers := []struct {
		name, url string
	}{{"closing", closing.URL}, {"keepalive", keep.URL}}
	for _, s := range servers {
		for _, m := range modes {
			b.Run(s.name+"/"+m.name, func(b *testing.B) {
				c := client.New(s.url, client.LlamaCpp, m.opts...)
				ctx := context.Background()
				fails := 0
				for b.Loop() {
					if _, err := c.Complete(ctx, req); err != nil {
						fails++
					}
				}
				b.ReportMetric(float64(fails)/float64(b.N), "fails/op")
				b.ReportMetric(float64(c.Retries())/float64(b.N), "retries/op")
			})
		}
	}
}
