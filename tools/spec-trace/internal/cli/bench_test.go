package cli_test

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"orchcore.dev/tools/spec-trace/internal/benchgen"
	"orchcore.dev/tools/spec-trace/internal/cli"
	"orchcore.dev/tools/spec-trace/internal/history"
	"orchcore.dev/tools/spec-trace/internal/render"
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
	cpu := cpuTime()
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
	b.ReportMetric((cpuTime()-cpu).Seconds()/float64(b.N), "cpu-s/op")
}

// cpuTime is the process's user and system CPU time so far: on a shared
// machine it moves less with the load than wall time does.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
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

// BenchmarkFullRunAllFeatures is BenchmarkFullRun with every feature on:
// a baseline report of the same input (so every requirement is compared
// for staleness), an evidence policy, 200 waivers and a history of 100
// earlier runs.
//
//	go test -run '^$' -bench FullRunAllFeatures -benchtime 3x ./internal/cli
func BenchmarkFullRunAllFeatures(b *testing.B) {
	root := b.TempDir()
	stream, size, err := benchgen.Write(root, benchgen.Config{
		Reqs: 10000, Tests: 50000, Packages: 100, Bytes: 200 << 20, FailEvery: 997, SkipEvery: 13,
	})
	if err != nil {
		b.Fatal(err)
	}
	base := filepath.Join(b.TempDir(), "base")
	if code := cli.Main([]string{"--root", root, "--results", stream, "--out", base, "--format", "json"}, io.Discard, io.Discard); code != cli.OK {
		b.Fatalf("baseline run: exit %d", code)
	}
	pol := filepath.Join(root, "policy.yaml")
	if err := os.WriteFile(pol, []byte("rules:\n  - level: MUST\n    require: go\n  - area: GEN-A1\n    require: go or junit\n"), 0o644); err != nil {
		b.Fatal(err)
	}
	var w strings.Builder
	w.WriteString("waivers:\n")
	for i := 0; i < 200; i++ {
		fmt.Fprintf(&w, "  - id: GEN-A%d-%05d\n    reason: benchmark\n    owner: bench\n    expires: 2030-01-01\n", (i*37)%10, (i*37)%10000)
	}
	waivers := filepath.Join(root, "waivers.yaml")
	if err := os.WriteFile(waivers, []byte(w.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	f, err := os.Open(filepath.Join(base, "coverage.json"))
	if err != nil {
		b.Fatal(err)
	}
	rep, err := render.ReadCurrent(f, "base")
	f.Close()
	if err != nil {
		b.Fatal(err)
	}
	hist := filepath.Join(b.TempDir(), "hist")
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 100 {
		if _, err := history.Write(hist, history.FromReport(rep, start.Add(time.Duration(i)*time.Hour), "c")); err != nil {
			b.Fatal(err)
		}
	}
	out := filepath.Join(b.TempDir(), "out")
	args := []string{"--root", root, "--results", stream, "--out", out, "--strict",
		"--baseline", filepath.Join(base, "coverage.json"), "--policy", pol, "--waivers", waivers,
		"--today", "2026-12-01", "--history", hist, "--time", "2026-12-01T00:00:00Z"}
	peak := sampleHeap()
	cpu := cpuTime()
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
	b.ReportMetric((cpuTime()-cpu).Seconds()/float64(b.N), "cpu-s/op")
	md, err := os.ReadFile(filepath.Join(out, "coverage.md"))
	if err != nil || len(md) > render.MaxMarkdown {
		b.Fatalf("coverage.md: %d bytes, %v", len(md), err)
	}
}
