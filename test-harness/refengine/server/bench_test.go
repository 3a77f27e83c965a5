package server_test

import (
	"io"
	"testing"

	"orchcore.dev/test-harness/refengine/server"
)

// BenchmarkStreamLlamaCpp measures end-to-end streamed generation over
// loopback HTTP: one 2048-token /completion stream per iteration.
func BenchmarkStreamLlamaCpp(b *testing.B) {
	b.ReportAllocs()
	s, err := server.New(server.Options{})
	if err != nil {
		b.Fatal(err)
	}
	url, err := s.Start("127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	const n = 2048
	for b.Loop() {
		resp := post(b, url+"/completion", `{"prompt":"The tide","n_predict":2048,"seed":1,"stream":true}`)
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatalf("status %d", resp.StatusCode)
		}
	}
	b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "tok/s")
}
