package core_test

import (
	"fmt"
	"runtime"
	"testing"

	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/guardrails"
	"orchcore.dev/orchestrator-core/queue"
)

// BenchmarkPoolMemory admits, dispatches and completes 10 million tasks,
// each with a session and a tenant of its own, through one pool with a
// session budget, a tenant quota and bounds of 10,000 sessions, and
// reports the live heap (after a GC) when 1e4, 1e6 and 1e7 tasks have
// been served (OC-CORE-1054: the pool must not grow with what it served).
// Ids have one width, so longer decimal ids do not show up as growth.
// One iteration is the whole run: use -benchtime 1x.
func BenchmarkPoolMemory(b *testing.B) {
	const total = 10_000_000
	checkpoints := map[int]string{10_000: "MB@1e4", 1_000_000: "MB@1e6", total: "MB@1e7"}
	for range b.N {
		p, err := core.New(core.Config{ID: "p1", Classes: classes(64), Clock: &core.ManualClock{},
			Budget: &guardrails.Budget{Tokens: 1 << 40},
			Quotas: []queue.Quota{{Tenant: "*", MaxInFlight: 1 << 20}},
			Bounds: core.Bounds{Sessions: 10_000}})
		if err != nil {
			b.Fatal(err)
		}
		for i := 1; i <= total; i++ {
			id := fmt.Sprintf("%08d", i) // one width throughout: the ids' own bytes do not grow
			t := core.Task{ID: id, Class: "batch", SessionID: "s" + id, Tenant: "t" + id, PromptTokens: 10, MaxNewTokens: 10}
			if _, err := p.Admit(t); err != nil {
				b.Fatal(err)
			}
			if _, ok := next(p); !ok {
				b.Fatalf("task %d not dispatched", i)
			}
			if err := p.Complete(id); err != nil {
				b.Fatal(err)
			}
			if name, ok := checkpoints[i]; ok {
				b.StopTimer()
				runtime.GC()
				var m runtime.MemStats
				runtime.ReadMemStats(&m)
				b.ReportMetric(float64(m.HeapAlloc)/1e6, name)
				if tb := p.Stats().Tables; tb.Sessions > 10_000 || tb.Affinity > 10_000 {
					b.Fatal(fmt.Sprintf("tables over their bounds: %+v", tb))
				}
				b.StartTimer()
			}
		}
		runtime.KeepAlive(p)
	}
}
