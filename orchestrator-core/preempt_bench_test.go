package core_test

import (
	"fmt"
	"testing"

	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/backoff"
)

// BenchmarkPreemptNext measures the Next that finds the interactive head
// blocked on a full replica with n background jobs in flight: with
// preemption on it scans the jobs, aborts the newest and puts its task
// back (timed); with preemption off (the baseline, same run) it reports the
// head unplaced. Between timed calls the victim is canceled and a fresh
// background job dispatched, so n jobs stay in flight.
func BenchmarkPreemptNext(b *testing.B) {
	for _, n := range []int{16, 256, 4096} {
		for _, on := range []bool{false, true} {
			b.Run(fmt.Sprintf("inflight=%d/preemption=%v", n, on), func(b *testing.B) {
				clk := &core.ManualClock{}
				cfg := core.Config{ID: "p1", Classes: classes(1 << 20), Clock: clk, Remember: 1 << 20,
					Retry: backoff.Config{MaxRetries: 2}}
				if on {
					cfg.Preemption = core.Preemption{Enabled: true, MaxPerWindow: 1, WindowMs: 1}
				}
				p, err := core.New(cfg)
				if err != nil {
					b.Fatal(err)
				}
				seq := 0
				dispatch := func() {
					seq++
					id := fmt.Sprint("g", seq)
					admit(b, p, ctask(id, "background"))
					if d, ok := p.Next(free); !ok || d.TaskID != id {
						b.Fatalf("dispatch %s: %s", id, d.Outcome)
					}
				}
				for range n {
					dispatch()
				}
				head := "i"
				admit(b, p, ctask(head, "interactive"))
				want := core.Unplaced
				if on {
					want = core.Preempted
				}
				b.ReportAllocs()
				for b.Loop() {
					clk.Advance(1)
					d, _ := p.Next(full)
					if d.Outcome != want {
						b.Fatalf("Next = %s, want %s", d.Outcome, want)
					}
					if on {
						b.StopTimer()
						if _, err := p.Cancel(d.TaskID); err != nil {
							b.Fatal(err)
						}
						if r, err := p.Cancel(head); err != nil || r != core.CanceledQueued {
							b.Fatalf("cancel %s: %v %v", head, r, err)
						}
						dispatch()
						head = fmt.Sprint("i", seq)
						admit(b, p, ctask(head, "interactive"))
						b.StartTimer()
					}
				}
			})
		}
	}
}
