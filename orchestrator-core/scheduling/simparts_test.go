package scheduling_test

import (
	"math/rand/v2"
	"testing"
)

// TestSimCacheEvictsTailFirst checks the simulated engine cache against
// the vLLM behaviour it copies: a finished job's tail is evicted before
// its head, blocks of a running job are never evicted, and a job that
// finds no free block caches nothing more.
func TestSimCacheEvictsTailFirst(t *testing.T) {
	t.Attr("req", "OC-CORE-1055")
	c := newSimCache(4)
	a := []uint64{11, 12, 13}
	c.release(c.acquire(a, nil))
	if got := c.hit(a); got != 3 {
		t.Fatalf("hit after release %d, want 3", got)
	}
	// One empty block is left: b's first block takes it, its second
	// evicts a's tail (13), not its head.
	held := c.acquire([]uint64{21, 22}, nil)
	if got := c.hit(a); got != 2 {
		t.Fatalf("hit %d after one eviction, want 2 (tail first)", got)
	}
	// a's head, in use again, cannot be evicted; 12 can.
	ha := c.acquire(a[:1], nil)
	if h := c.acquire([]uint64{31, 32, 33}, nil); len(h) != 1 || c.fails != 2 {
		t.Fatalf("pinned %d blocks, %d failed; want 1 and 2", len(h), c.fails)
	}
	if c.hit(a) != 1 || c.hit([]uint64{21, 22}) != 2 || c.hit([]uint64{31}) != 1 {
		t.Fatalf("pinned blocks were evicted: a %d, b %d", c.hit(a), c.hit([]uint64{21, 22}))
	}
	c.release(held)
	c.release(ha)
	// b freed tail first (22, 21), then a's head: 22 goes first.
	c.acquire([]uint64{41}, nil)
	if c.hit([]uint64{21, 22}) != 1 || c.hit(a) != 1 {
		t.Fatalf("after freeing: b %d, a %d; want 1, 1", c.hit([]uint64{21, 22}), c.hit(a))
	}
}

// TestSimTable compares the simulation's hash table with a Go map under
// random churn in a small table, so that probe chains collide and wrap.
func TestSimTable(t *testing.T) {
	t.Attr("req", "OC-CORE-1055")
	r := rand.New(rand.NewPCG(1, 2))
	tb, m := newSimTable[int](40), map[uint64]int{}
	for i := range 200000 {
		k := 1 + r.Uint64N(120)
		if r.IntN(2) == 0 && len(m) < 40 {
			tb.Set(k, i)
			m[k] = i
		} else {
			tb.Delete(k)
			delete(m, k)
		}
		for q := uint64(1); q <= 120; q += 7 {
			v, ok := tb.Get(q)
			w, okm := m[q]
			if ok != okm || v != w {
				t.Fatalf("step %d key %d: table %d,%v map %d,%v", i, q, v, ok, w, okm)
			}
		}
		if tb.Len() != len(m) {
			t.Fatalf("step %d: len %d, map %d", i, tb.Len(), len(m))
		}
	}
}
