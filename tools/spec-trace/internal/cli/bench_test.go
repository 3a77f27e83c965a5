package cli_test

import (
	"io"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"orchcore.dev/tools/spec-trace/internal/benchgen"
	"orchcore.dev/tools/spec-trace/internal/cli"
)

// BenchmarkFullRun generates 10,000 requirements, 50,000 referencing tests
// and about 200 MB of go test -json, then times one whole spec-trace run
// that writes all four reports. It reports the peak Go heap seen while
// running, to show memory stays bounded (the stream is never loaded whole).
//
//	go test -run '^$' -bench FullRun -benchtime 3x ./internal/cli
func BenchmarkFullRun(b *testing.B) {
	root := b.TempDir()
	stream, size, err := benchgen.Write(root, benchgen.Config{
		Reqs: 10000, Tests: 50000, Packages: 100, Bytes: 200 << 20, FailEvery: 997, SkipEvery: 13,
	})
	if err != nil {
		b.Fatal(err)
	}
	out := filepath.Join(b.TempDir(), "out")
	args := []string{"--root", root, "--results", stream, "--out", out, "--strict"}
	peak := sampleHeap()
	b.SetBytes(size)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if code := cli.Main(args, io.Discard, io.Discard); code != cli.Gate {
			b.Fatalf("exit %d, want 1 (the fixture has failing tests)", code)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(peak())/(1<<20), "peak-heap-MB")
}

// sampleHeap polls the heap size until the returned function is called,
// which stops polling and returns the largest value seen.
func sampleHeap() func() uint64 {
	var (
		mu   sync.Mutex
		max  uint64
		done = make(chan struct{})
		wg   sync.WaitGroup
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		var m runtime.MemStats
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&m)
			mu.Lock()
			if m.HeapInuse > max {
				max = m.HeapInuse
			}
			mu.Unlock()
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() uint64 {
		close(done)
		wg.Wait()
		return max
	}
}
