package queue_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"orchcore.dev/orchestrator-core/queue"
)

// floorDepth is the depth whose working set the floor chases.
const floorDepth = 1_000_000

// chase is a random cyclic permutation laid out over floorDepth slots of
// the queue arena's node size: mem[i*stride] holds the next slot's
// offset. Sattolo's algorithm makes one cycle through every slot, so each
// read depends on the one before and the chase visits the whole working
// set before it repeats.
type chase struct {
	mem []uint64
	x   uint64
}

func newChase() *chase {
	stride := int(queue.NodeSize / 8)
	perm := make([]int, floorDepth)
	for i := range perm {
		perm[i] = i
	}
	rng := rand.New(rand.NewPCG(5, 5))
	for i := floorDepth - 1; i > 0; i-- {
		j := rng.IntN(i)
		perm[i], perm[j] = perm[j], perm[i]
	}
	c := &chase{mem: make([]uint64, floorDepth*stride)}
	for i, p := range perm {
		c.mem[i*stride] = uint64(p * stride)
	}
	return c
}

// reads makes n dependent reads.
func (c *chase) reads(n int) {
	x, mem := c.x, c.mem
	for range n {
		x = mem[x]
	}
	c.x = x
}

// BenchmarkFloor is the memory latency a random cancel at depth 1e6
// cannot beat: one op is one dependent read of the chase.
func BenchmarkFloor(b *testing.B) {
	c := newChase()
	b.Run("depth=1000000", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			c.reads(1)
		}
	})
}

// BenchmarkCancelFloor is BenchmarkCancel's random cancel at depth 1e6
// with the floor measured in the same process, interleaved: after every
// batch of 1024 cancels (timed as ns/op) the timer stops and 1024 floor
// reads are timed on their own, so both see the same load on a shared
// machine. It reports the floor's ns per read and cancel / floor.
//
// Unlike BenchmarkCancel, the caller holds the ids it cancels: each
// batch's id strings (the very strings the queue stores, so their bytes
// are as cold as the queue's) are gathered into a 1024-entry slice while
// the timer is stopped, so the timed loop does not also pay a cache miss
// on the benchmark's 2e6-entry ring of ids to find the next id.
func BenchmarkCancelFloor(b *testing.B) {
	c := newChase()
	var f *fixture
	b.Run("depth=1000000", func(b *testing.B) {
		if f == nil {
			f = newFixture(b, impls[0].make, floorDepth)
		}
		f.settle(b)
		perm := rand.New(rand.NewPCG(7, 7)).Perm(floorDepth)
		held := make([]string, batch) // the ids of the batch being canceled
		b.ReportAllocs()
		b.ResetTimer()
		var floor time.Duration
		reads, start := 0, 0
		gather := func(from int) {
			for j := range held {
				held[j] = f.ring[perm[(from+j)%len(perm)]]
			}
		}
		pause := func(from, to int) { // floor reads, then the canceled tasks back
			b.StopTimer()
			t0 := time.Now()
			c.reads(batch)
			floor += time.Since(t0)
			reads += batch
			for t := from; t < to; t++ {
				p := perm[t%len(perm)]
				f.q.load(f.ring[p], p%3)
			}
			gather(to)
			b.StartTimer()
		}
		b.StopTimer()
		gather(0)
		b.StartTimer()
		for i := range b.N {
			if !f.q.cancel(held[i-start]) {
				b.Fatalf("cancel %d found nothing", i)
			}
			if i-start == batch-1 {
				pause(start, i+1)
				start = i + 1
			}
		}
		pause(start, b.N)
		b.StopTimer()
		fl := float64(floor.Nanoseconds()) / float64(reads)
		b.ReportMetric(fl, "floor-ns/read")
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/fl, "x-floor")
	})
}
