package queue_test

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"

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
	const depth = 100_000
	const avg = 1024 // mean token cost
	rng := rand.New(rand.NewPCG(3, 3))
	costs := make([]int64, 4096)
	tenants := make([]string, 4096)
	for i := range costs {
		costs[i] = 1 + rng.Int64N(2*avg)
		tenants[i] = fmt.Sprintf("tenant-%02d", rng.IntN(64))
	}
	variants := []struct {
		name string
		mod  func(*queue.Config)
	}{
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
	for _, v := range variants {
		var f *fixture
		b.Run(fmt.Sprintf("depth=%d/%s", depth, v.name), func(b *testing.B) {
			if f == nil {
				f = newFixture(b, func() impl {
					cfg := queue.Config{Classes: append([]queue.Class(nil), benchClasses...), Policy: queue.DropLRU}
					v.mod(&cfg)
					q, err := queue.New[int](cfg)
					if err != nil {
						b.Fatal(err)
					}
					return &featured{q: q, costs: costs, tenants: tenants}
				}, depth)
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
