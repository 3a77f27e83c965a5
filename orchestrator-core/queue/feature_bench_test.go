package queue_test

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"orchcore.dev/orchestrator-core/queue"
)

// BenchmarkFeatures runs BenchmarkMixed's workload at depth 1e5 on the
// plain FIFO queue and on the same queue with one feature switched on,
// so the features' costs are ratios of one run:
//
//   - fifo: the three benchmark classes, no token bound, tenant order fifo;
//   - tokens: class token capacities (OC-CORE-1051) and a pool token
//     capacity that binds about 64 mean-cost tasks above the depth, under
//     drop-lru, so enqueues past it evict one or several tasks by cost
//     (settle then stops at the first push that evicts, so the depth can
//     sit a little below 1e5);
//   - tenant-rr: every class round-robin over 64 tenants (OC-CORE-1053).
//
// Every variant admits the same tasks: the same ids, classes, token costs
// (1..2048, seeded) and tenants; only the configuration differs.
func BenchmarkFeatures(b *testing.B) {
	variants := featureVariants()
	for _, v := range variants {
		var f *fixture
		b.Run(fmt.Sprintf("depth=%d/%s", featureDepth, v.name), func(b *testing.B) {
			if f == nil {
				f = v.fixture(b)
			}
			f.settle(b)
			b.ReportAllocs()
			b.ResetTimer()
			mixed(b, f)
		})
		f = nil
		runtime.GC() // the next variant does not pay for this one's garbage
	}
}

// featured is the real queue admitting tasks with token costs and
// tenants, the k-th admitted task taking costs[k] and tenants[k] (mod
// their length).
type featured struct {
	q       *queue.Queue[int]
	costs   []int64
	tenants []string
	k       int
}

func (r *featured) enqueue(id, class string) {
	k := r.k % len(r.costs)
	r.k++
	r.q.EnqueueCost(id, class, r.tenants[k], r.costs[k], 0)
}
func (r *featured) load(id string, ci int) { r.enqueue(id, classNames[ci]) }
func (r *featured) dequeue(ci int) bool    { _, ok := r.q.Dequeue(ci); return ok }
func (r *featured) cancel(id string) bool  { _, err := r.q.Cancel(id); return err == nil }
func (r *featured) len() int               { return r.q.Len() }

const featureDepth = 100_000

// variant is one configuration of BenchmarkFeatures.
type variant struct {
	name string
	mod  func(*queue.Config)
}

func featureVariants() []variant {
	const depth = featureDepth
	const avg = 1024 // mean token cost
	return []variant{
		{"fifo", func(*queue.Config) {}},
		{"tokens", func(c *queue.Config) {
			c.CapacityTokens = (depth + 64) * avg
			for i := range c.Classes {
				c.Classes[i].CapacityTokens = depth * avg
			}
		}},
		{"tenant-rr", func(c *queue.Config) {
			for i := range c.Classes {
				c.Classes[i].TenantOrder = queue.TenantRoundRobin
			}
		}},
	}
}

// featureCosts and featureTenants are every variant's task costs
// (1..2048) and tenants (64), seeded.
var featureCosts, featureTenants = func() ([]int64, []string) {
	rng := rand.New(rand.NewPCG(3, 3))
	costs := make([]int64, 4096)
	tenants := make([]string, 4096)
	for i := range costs {
		costs[i] = 1 + rng.Int64N(2*1024)
		tenants[i] = fmt.Sprintf("tenant-%02d", rng.IntN(64))
	}
	return costs, tenants
}()

func (v variant) fixture(b *testing.B) *fixture {
	return newFixture(b, func() impl {
		cfg := queue.Config{Classes: append([]queue.Class(nil), benchClasses...), Policy: queue.DropLRU}
		v.mod(&cfg)
		q, err := queue.New[int](cfg)
		if err != nil {
			b.Fatal(err)
		}
		return &featured{q: q, costs: featureCosts, tenants: featureTenants}
	}, featureDepth)
}

// BenchmarkFeatureRatios runs the three variants of BenchmarkFeatures
// interleaved in one benchmark: batch by batch (1024 ops of the mixed
// workload each, then an untimed settle), fifo, tokens and tenant-rr in
// turn, each batch timed on its own. So every variant sees the same load
// on a shared machine, and the ratios (tokens-x, tenant-rr-x: the
// variant's ns per op over fifo's) come from the same seconds. ns/op is
// the three variants' costs summed.
func BenchmarkFeatureRatios(b *testing.B) {
	vs := featureVariants()
	fs := make([]*fixture, len(vs))
	rngs := make([]*rand.Rand, len(vs))
	for i, v := range vs {
		fs[i] = v.fixture(b)
		rngs[i] = rand.New(rand.NewPCG(9, 9))
	}
	ops := make([]uint8, batch)
	r := rand.New(rand.NewPCG(9, 9))
	for i := range ops {
		ops[i] = uint8(r.IntN(10))
	}
	spent := make([]time.Duration, len(vs))
	b.ReportAllocs()
	b.ResetTimer()
	for done := 0; done < b.N; done += batch {
		n := min(batch, b.N-done)
		for k, f := range fs {
			t0 := time.Now()
			for i := range n {
				switch o := ops[i]; {
				case o < 6:
					f.push(false)
				case o < 9:
					f.q.dequeue(i % 3)
				default:
					j := f.next - 1 - rngs[k].IntN(f.depth)
					f.q.cancel(f.ring[j%len(f.ring)])
				}
			}
			spent[k] += time.Since(t0)
			f.settle(b)
		}
	}
	b.StopTimer()
	for k, v := range vs {
		per := float64(spent[k].Nanoseconds()) / float64(b.N)
		b.ReportMetric(per, v.name+"-ns/op")
		if k > 0 {
			b.ReportMetric(per/(float64(spent[0].Nanoseconds())/float64(b.N)), v.name+"-x")
		}
	}
}
