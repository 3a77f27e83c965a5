package core_test

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"

	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/queue"
)

// BenchmarkPoolTTL measures what queue TTLs (OC-CORE-1050) cost the Pool,
// where they are implemented: a mixed workload at a steady depth of 1e5
// queued tasks in one class, per op 60% Admit, 30% Next (onto a replica
// that takes anything) followed by Complete of the job, 10% Cancel of a
// random recent id, the clock moving 1 ms per op. Variants:
//
//   - plain: no TTL;
//   - class-ttl: the class has a TTL no task reaches, so Next and Tick
//     check the class head on every call and nothing expires;
//   - task-ttl: every task carries its own TTL of 4e5 ms, below the
//     class's, so every admission pushes the deadline heap and entries of
//     tasks that left are discarded when they surface; tasks that wait
//     longer than their TTL expire.
//
// Each variant first runs 5e5 ops untimed (longer than the task TTL);
// after every 1024 ops the queue is brought back to its depth, untimed.
func BenchmarkPoolTTL(b *testing.B) {
	const depth = 100_000
	const batch = 1024
	// A task waits about depth/0.3 = 3.3e5 ops (ms) before its dispatch;
	// the task TTL is a little above that, so most tasks are dispatched
	// first and their heap entries are discarded, and the slowest expire.
	const taskTTL = 400_000
	const warmup = 500_000
	ids := make([]string, 2*depth+batch+4096) // an id returns long after its task ended
	for i := range ids {
		ids[i] = fmt.Sprint("task-", i)
	}
	rng := rand.New(rand.NewPCG(9, 9))
	ops := make([]uint8, batch)
	for i := range ops {
		ops[i] = uint8(rng.IntN(10))
	}
	variants := []struct {
		name           string
		classTTL, task int64
	}{
		{"plain", 0, 0},
		{"class-ttl", 1 << 40, 0},
		{"task-ttl", 1 << 40, taskTTL},
	}
	for _, v := range variants {
		clk := &core.ManualClock{}
		p, err := core.New(core.Config{
			ID:      "p1",
			Classes: []queue.Class{{Name: "batch", Rank: 1, Weight: 1, Capacity: 1 << 30, TTLMs: v.classTTL}},
			Clock:   clk,
		})
		if err != nil {
			b.Fatal(err)
		}
		next := 0
		admit := func() {
			t := core.Task{ID: ids[next%len(ids)], Class: "batch", Tenant: "acme", PromptTokens: 100, MaxNewTokens: 100, TTLMs: v.task}
			next++
			if _, err := p.Admit(t); err != nil {
				b.Fatalf("admit %s: %v", t.ID, err)
			}
		}
		dispatch := func() {
			if d, ok := p.Next(wide); ok {
				if err := p.Complete(d.Job.Task.ID); err != nil {
					b.Fatal(err)
				}
			}
		}
		refill := func() {
			for p.Stats().Queued > depth {
				dispatch()
			}
			for p.Stats().Queued < depth {
				admit()
			}
		}
		op := func(i int) {
			clk.Advance(1)
			switch o := ops[i%batch]; {
			case o < 6:
				admit()
			case o < 9:
				dispatch()
			default:
				p.Cancel(ids[(next-1-rng.IntN(depth))%len(ids)])
			}
		}
		// Warm up for longer than a TTL, so the deadline heap is in its
		// steady state (entries surfacing and discarded) when timing starts.
		refill()
		for i := range warmup {
			op(i)
			if i%batch == batch-1 {
				refill()
			}
		}
		b.Run(fmt.Sprintf("depth=%d/%s", depth, v.name), func(b *testing.B) {
			b.StopTimer()
			refill()
			b.StartTimer()
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				op(i)
				if i%batch == batch-1 {
					b.StopTimer()
					refill()
					b.StartTimer()
				}
			}
		})
		p = nil
		runtime.GC() // the next variant does not pay for this one's garbage
	}
}
