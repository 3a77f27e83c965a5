package queue_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"orchcore.dev/orchestrator-core/queue"
)

// The benchmarks run the real queue and a naive baseline (the reference
// model of the property test: slices, a linear duplicate check on enqueue
// and a linear cancel) on the same workloads, so ratios come from one run:
//
//	go test -run '^$' -bench . -benchtime 200ms ./queue
//
// (about 45 s on 2 cores; the naive 1e6 cases get only a few hundred
// iterations at that benchtime, which is enough for a ratio).
//
// Each op runs at a steady depth: every batch ops the timer stops and the
// queue is brought back to its depth. Ids come from a ring of
// 2*depth+batch strings, so no id is reused while it may still be queued.

const batch = 1024

var depths = []int{1_000, 100_000, 1_000_000}

var benchClasses = []queue.Class{
	{Name: "interactive", Rank: 3, Weight: 6, Capacity: 1 << 30},
	{Name: "batch", Rank: 2, Weight: 3, Capacity: 1 << 30},
	{Name: "background", Rank: 1, Weight: 1, Capacity: 1 << 30},
}

var classNames = []string{"interactive", "batch", "background"}

// impl is what a benchmark needs of a queue.
type impl interface {
	enqueue(id, class string)
	// load adds a task known to be new, for untimed setup; the naive
	// queue skips its linear duplicate check here.
	load(id string, ci int)
	dequeue(ci int) bool
	cancel(id string) bool
	len() int
}

type real struct{ q *queue.Queue[int] }

func (r real) enqueue(id, class string) { r.q.Enqueue(id, class, "", 0) }
func (r real) load(id string, ci int)   { r.q.Enqueue(id, classNames[ci], "", 0) }
func (r real) dequeue(ci int) bool      { _, ok := r.q.Dequeue(ci); return ok }
func (r real) cancel(id string) bool    { _, err := r.q.Cancel(id); return err == nil }
func (r real) len() int                 { return r.q.Len() }

type naive struct{ m *model }

func (n naive) enqueue(id, class string) { n.m.enqueue(id, class, "", 0) }
func (n naive) load(id string, ci int) {
	n.m.lists[ci] = append(n.m.lists[ci], mItem{id: id})
}
func (n naive) dequeue(ci int) bool   { _, ok := n.m.dequeue(ci); return ok }
func (n naive) cancel(id string) bool { return n.m.cancel(id) }
func (n naive) len() int              { return n.m.total() }

var impls = []struct {
	name string
	make func() impl
}{
	{"queue", func() impl {
		q, err := queue.New[int](queue.Config{Classes: benchClasses})
		if err != nil {
			panic(err)
		}
		return real{q}
	}},
	{"naive", func() impl { return naive{newModel(queue.Config{Classes: benchClasses})} }},
}

// fixture is a queue filled to depth with ids ring[0:depth], ids assigned
// to classes round robin.
type fixture struct {
	q     impl
	ring  []string
	depth int
	next  int // next id to enqueue (index into the ring, mod len)
	head  int // oldest id that may still be queued
}

var rings = map[int][]string{}

func newFixture(b *testing.B, mk func() impl, depth int) *fixture {
	b.Helper()
	ring, ok := rings[depth]
	if !ok {
		ring = make([]string, 2*depth+batch)
		for i := range ring {
			ring[i] = fmt.Sprint("task-", i)
		}
		rings[depth] = ring
	}
	f := &fixture{q: mk(), ring: ring, depth: depth}
	for range depth {
		f.push(true)
	}
	return f
}

// push enqueues the next id; untimed pushes use load.
func (f *fixture) push(untimed bool) {
	id := f.ring[f.next%len(f.ring)]
	if untimed {
		f.q.load(id, f.next%3)
	} else {
		f.q.enqueue(id, classNames[f.next%3])
	}
	f.next++
}

// pop removes the oldest task: with ids given to classes round robin, the
// oldest is the head of class head%3.
func (f *fixture) pop() {
	for f.head < f.next && !f.q.dequeue(f.head%3) {
		f.head++ // its class ran dry early because of cancels
	}
	f.head++
}

// settle brings the queue back to its depth, untimed.
func (f *fixture) settle(b *testing.B) {
	b.StopTimer()
	for f.q.len() > f.depth {
		f.pop()
	}
	for f.q.len() < f.depth {
		n := f.q.len()
		f.push(true)
		if f.q.len() <= n { // a token capacity evicted: the depth is as full as it gets
			break
		}
	}
	b.StartTimer()
}

func bench(b *testing.B, op func(b *testing.B, f *fixture)) {
	for _, d := range depths {
		for _, im := range impls {
			var f *fixture // built once, reused by every b.N round
			b.Run(fmt.Sprintf("depth=%d/%s", d, im.name), func(b *testing.B) {
				if f == nil {
					f = newFixture(b, im.make, d)
				}
				f.settle(b)
				b.ReportAllocs()
				b.ResetTimer()
				op(b, f)
			})
		}
	}
}

func BenchmarkEnqueue(b *testing.B) {
	bench(b, func(b *testing.B, f *fixture) {
		for i := range b.N {
			f.push(false)
			if i%batch == batch-1 {
				f.settle(b)
			}
		}
	})
}

func BenchmarkDequeue(b *testing.B) {
	bench(b, func(b *testing.B, f *fixture) {
		for i := range b.N {
			f.q.dequeue(i % 3)
			if i%batch == batch-1 {
				f.settle(b)
			}
		}
	})
}

// BenchmarkEnqueueDequeue is the steady state: one of each per op.
func BenchmarkEnqueueDequeue(b *testing.B) {
	bench(b, func(b *testing.B, f *fixture) {
		for i := range b.N {
			f.push(false)
			f.q.dequeue(i % 3)
		}
	})
}

// BenchmarkCancel cancels distinct queued tasks at seeded random
// positions over the whole queue; after each batch (min(1024, depth)
// cancels) the canceled tasks are admitted again, untimed, so every cancel
// finds its task.
func BenchmarkCancel(b *testing.B) { cancelBench(b, false) }

// BenchmarkCancelHot cancels, in shuffled order, the same 1000 tasks that
// were admitted one after another (a burst), re-admitting them after each
// batch. The memory it touches is about the same at every depth, so what
// remains is the algorithm's dependence on depth (plus the id map's
// larger table).
func BenchmarkCancelHot(b *testing.B) { cancelBench(b, true) }

func cancelBench(b *testing.B, hot bool) {
	bench(b, func(b *testing.B, f *fixture) {
		// The fixture holds exactly ring[0:depth], ring[p] in class p%3.
		perm := rand.New(rand.NewPCG(7, 7)).Perm(f.depth)
		k := min(batch, f.depth)
		if hot { // 1000 tasks admitted one after another, in shuffled order
			perm = rand.New(rand.NewPCG(7, 7)).Perm(min(1000, f.depth))
			k = len(perm)
		}
		restore := func(from, to int) {
			b.StopTimer()
			for t := from; t < to; t++ {
				p := perm[t%len(perm)]
				f.q.load(f.ring[p], p%3)
			}
			b.StartTimer()
		}
		start := 0
		for i := range b.N {
			if !f.q.cancel(f.ring[perm[i%len(perm)]]) {
				b.Fatalf("cancel %d found nothing", i)
			}
			if i-start == k-1 {
				restore(start, i+1)
				start = i + 1
			}
		}
		restore(start, b.N)
	})
}

// BenchmarkMixed is 60% enqueue, 30% dequeue, 10% cancel of a random
// recent id, from a seeded op sequence.
func BenchmarkMixed(b *testing.B) { bench(b, mixed) }

// mixed is BenchmarkMixed's workload on any fixture.
func mixed(b *testing.B, f *fixture) {
	rng := rand.New(rand.NewPCG(9, 9))
	ops := make([]uint8, batch)
	for i := range ops {
		ops[i] = uint8(rng.IntN(10))
	}
	for i := range b.N {
		switch o := ops[i%batch]; {
		case o < 6:
			f.push(false)
		case o < 9:
			f.q.dequeue(i % 3)
		default:
			k := f.next - 1 - rng.IntN(f.depth)
			f.q.cancel(f.ring[k%len(f.ring)])
		}
		if i%batch == batch-1 {
			f.settle(b)
		}
	}
}
