package core_test

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/queue"
)

// The TTL benchmarks measure what queue TTLs (OC-CORE-1050) cost the Pool,
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
const (
	ttlDepth = 100_000
	ttlBatch = 1024
	// A task waits about depth/0.3 = 3.3e5 ops (ms) before its dispatch;
	// the task TTL is a little above that, so most tasks are dispatched
	// first and their heap entries are discarded, and the slowest expire.
	taskTTL = 400_000
	warmup  = 500_000
)

var ttlVariants = []struct {
	name           string
	classTTL, task int64
}{
	{"plain", 0, 0},
	{"class-ttl", 1 << 40, 0},
	{"task-ttl", 1 << 40, taskTTL},
}

// ttlRig is one variant's pool and workload state.
type ttlRig struct {
	p    *core.Pool
	clk  *core.ManualClock
	ids  []string
	ops  []uint8
	rng  *rand.Rand
	next int
	task int64
	b    *testing.B
}

var ttlIDs = func() []string {
	ids := make([]string, 2*ttlDepth+ttlBatch+4096) // an id returns long after its task ended
	for i := range ids {
		ids[i] = fmt.Sprint("task-", i)
	}
	return ids
}()

func newTTLRig(b *testing.B, classTTL, task int64) *ttlRig {
	clk := &core.ManualClock{}
	p, err := core.New(core.Config{
		ID:      "p1",
		Classes: []queue.Class{{Name: "batch", Rank: 1, Weight: 1, Capacity: 1 << 30, TTLMs: classTTL}},
		Clock:   clk,
	})
	if err != nil {
		b.Fatal(err)
	}
	r := &ttlRig{p: p, clk: clk, ids: ttlIDs, task: task, b: b, rng: rand.New(rand.NewPCG(9, 9))}
	r.ops = make([]uint8, ttlBatch)
	for i := range r.ops {
		r.ops[i] = uint8(r.rng.IntN(10))
	}
	r.refill()
	for i := range warmup {
		r.op(i)
		if i%ttlBatch == ttlBatch-1 {
			r.refill()
		}
	}
	return r
}

func (r *ttlRig) admit() {
	t := core.Task{ID: r.ids[r.next%len(r.ids)], Class: "batch", Tenant: "acme", PromptTokens: 100, MaxNewTokens: 100, TTLMs: r.task}
	r.next++
	if _, err := r.p.Admit(t); err != nil {
		r.b.Fatalf("admit %s: %v", t.ID, err)
	}
}

func (r *ttlRig) dispatch() {
	if d, ok := r.p.Next(wide); ok {
		if err := r.p.Complete(d.Job.Task.ID); err != nil {
			r.b.Fatal(err)
		}
	}
}

// refill brings the queue back to its depth.
func (r *ttlRig) refill() {
	for r.p.Stats().Queued > ttlDepth {
		r.dispatch()
	}
	for r.p.Stats().Queued < ttlDepth {
		r.admit()
	}
}

func (r *ttlRig) op(i int) {
	r.clk.Advance(1)
	switch o := r.ops[i%ttlBatch]; {
	case o < 6:
		r.admit()
	case o < 9:
		r.dispatch()
	default:
		r.p.Cancel(r.ids[(r.next-1-r.rng.IntN(ttlDepth))%len(r.ids)])
	}
}

// BenchmarkPoolTTL runs each variant on its own, one after another.
func BenchmarkPoolTTL(b *testing.B) {
	for _, v := range ttlVariants {
		r := newTTLRig(b, v.classTTL, v.task)
		b.Run(fmt.Sprintf("depth=%d/%s", ttlDepth, v.name), func(b *testing.B) {
			r.b = b
			b.StopTimer()
			r.refill()
			b.StartTimer()
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				r.op(i)
				if i%ttlBatch == ttlBatch-1 {
					b.StopTimer()
					r.refill()
					b.StartTimer()
				}
			}
		})
		r = nil
		runtime.GC() // the next variant does not pay for this one's garbage
	}
}

// BenchmarkPoolTTLRatios runs the three variants interleaved, batch by
// batch (1024 ops each, then an untimed refill), each batch timed on its
// own, so all see the same load on a shared machine; it reports each
// variant's ns per op and class-ttl-x, task-ttl-x over plain. ns/op is the
// three variants' costs summed.
func BenchmarkPoolTTLRatios(b *testing.B) {
	rigs := make([]*ttlRig, len(ttlVariants))
	for k, v := range ttlVariants {
		rigs[k] = newTTLRig(b, v.classTTL, v.task)
		rigs[k].b = b
	}
	spent := make([]time.Duration, len(rigs))
	b.ReportAllocs()
	b.ResetTimer()
	for done := 0; done < b.N; done += ttlBatch {
		n := min(ttlBatch, b.N-done)
		for k, r := range rigs {
			t0 := time.Now()
			for i := range n {
				r.op(i)
			}
			spent[k] += time.Since(t0)
			b.StopTimer()
			r.refill()
			b.StartTimer()
		}
	}
	b.StopTimer()
	for k, v := range ttlVariants {
		per := float64(spent[k].Nanoseconds()) / float64(b.N)
		b.ReportMetric(per, v.name+"-ns/op")
		if k > 0 {
			b.ReportMetric(per/(float64(spent[0].Nanoseconds())/float64(b.N)), v.name+"-x")
		}
	}
}
