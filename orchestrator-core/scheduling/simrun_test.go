package scheduling_test

import (
	"container/heap"
	"fmt"
	"math/bits"

	"orchcore.dev/orchestrator-core/scheduling"
)

// simPolicy is how a simulation places its jobs.
type simPolicy int

const (
	// leastLoaded is the Placer with no prefix scoring and no affinity:
	// every replica reports the same free VRAM, so its total order is
	// (active slots asc, replica id asc).
	leastLoaded simPolicy = iota
	// sessionAffinity is the Placer with an Affinity table, set when a
	// job completes, as the pool does (lifecycle.go, endJobLocked).
	sessionAffinity
	// prefixAware is the Placer with the learned index: Learn after each
	// placement, nothing reported by engines.
	prefixAware
	// oracle scores every replica on its engine's true cache with the
	// same formula, weights and guard (refPick).
	oracle
	// prefixAffinity is prefixAware with the Affinity table too, as the
	// pool builds its Placer: affinity first, prefix score otherwise.
	prefixAffinity
	numPolicies
)

func (p simPolicy) String() string {
	return [...]string{"least-loaded", "affinity", "prefix", "oracle", "prefix+affinity"}[p]
}

// simResult is what one run measured over its window.
type simResult struct {
	n, slots          int
	hit, prompt       int64 // blocks found in the engine cache; prompt blocks
	maxArea, sumArea  int64 // ∫ max active dt, ∫ Σ active dt
	span              int64
	jobs, guarded     int
	fails, mismatches int
	digest            uint64 // of every (session, turn, start)
}

// hitRate is the prefix hit rate: prompt blocks found in the engine's
// cache when the job starts, over all prompt blocks.
func (r simResult) hitRate() float64 { return float64(r.hit) / float64(max(r.prompt, 1)) }

// balance is max/mean active slots: the time average of the busiest
// replica's active slots over the time average of the mean.
func (r simResult) balance() float64 {
	return float64(r.maxArea) * float64(r.n) / float64(max(r.sumArea, 1))
}

// util is the time-averaged share of all slots in use.
func (r simResult) util() float64 {
	return float64(r.sumArea) / float64(int64(r.n*r.slots)*max(r.span, 1))
}

type simEvent struct {
	t    int64
	end  bool // a job ends (before arrivals at the same tick)
	seq  int
	s, k int // session, turn
	r    int // replica of an ending job
	held []int32
}

type simQueue []simEvent

func (q simQueue) Len() int { return len(q) }
func (q simQueue) Less(i, j int) bool {
	a, b := &q[i], &q[j]
	if a.t != b.t {
		return a.t < b.t
	}
	if a.end != b.end {
		return a.end
	}
	return a.seq < b.seq
}
func (q simQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *simQueue) Push(x any)   { *q = append(*q, x.(simEvent)) }
func (q *simQueue) Pop() any {
	old := *q
	x := old[len(old)-1]
	*q = old[:len(old)-1]
	return x
}

type simRun struct {
	w      simWork
	a      *simArrivals
	pol    simPolicy
	pp     scheduling.PrefixPolicy
	ref    *scheduling.PrefixPolicy
	active []int
	total  int
	caches []*simCache
	hold   *simTable[uint64] // oracle: block -> replicas caching it
	match  []int
	snap   scheduling.Snapshot
	pl     scheduling.Placer
	idx    *scheduling.Prefix
	aff    *scheduling.Affinity
	q      simQueue
	wait   []simEvent // arrivals waiting for any free slot, FIFO
	seq    int
	last   int64
	res    simResult
}

// simulate replays a on n replicas under pol; pp is the prefix policy of
// prefixAware, prefixAffinity and oracle.
func simulate(w simWork, a *simArrivals, n int, pol simPolicy, pp scheduling.PrefixPolicy) simResult {
	return simulateRef(w, a, n, pol, pp, &pp)
}

// simulateRef is simulate with ref apart: the policy under which refPick
// rechecks each prefixAware decision on the same learned matches,
// counting disagreements in mismatches (nil: no check).
func simulateRef(w simWork, a *simArrivals, n int, pol simPolicy, pp scheduling.PrefixPolicy, ref *scheduling.PrefixPolicy) simResult {
	s := &simRun{w: w, a: a, pol: pol, pp: pp, ref: ref, active: make([]int, n), match: make([]int, n)}
	s.res = simResult{n: n, slots: w.Slots, span: a.end - a.warm, digest: 14695981039346656037}
	s.snap.Pools = []scheduling.Pool{{ID: "p"}}
	for i := range n {
		s.snap.Replicas = append(s.snap.Replicas, scheduling.Replica{
			ID: fmt.Sprintf("r%02d", i), PoolID: "p",
			ModelID: "m", Ready: true, FreeVRAMMB: 1000, SlotsTotal: w.Slots,
		})
		c := newSimCache(w.CacheBlocks)
		if pol == oracle {
			bit := uint64(1) << i
			c.added = func(h uint64) {
				v, _ := s.hold.Get(h)
				s.hold.Set(h, v|bit)
			}
			c.evicted = func(h uint64) {
				if v, _ := s.hold.Get(h); v&^bit != 0 {
					s.hold.Set(h, v&^bit)
				} else {
					s.hold.Delete(h)
				}
			}
		}
		s.caches = append(s.caches, c)
	}
	switch pol {
	case sessionAffinity:
		s.aff = scheduling.NewAffinity(len(a.ss))
	case prefixAware, prefixAffinity:
		s.pp.Enabled = true
		s.pl.Policy.Prefix = s.pp
		s.idx = scheduling.NewPrefix(pp.BlocksPerReplica, n)
		s.pl.Prefix = s.idx
		if pol == prefixAffinity {
			s.aff = scheduling.NewAffinity(len(a.ss))
		}
	case oracle:
		if n > 64 {
			panic("the oracle's replica sets are 64-bit masks")
		}
		s.hold = newSimTable[uint64](n * w.CacheBlocks)
	}
	s.pl.Affinity = s.aff
	for i, t := range a.starts {
		s.push(simEvent{t: t, s: i})
	}
	for s.q.Len() > 0 {
		e := heap.Pop(&s.q).(simEvent)
		s.advance(e.t)
		if e.end {
			s.finish(e)
			for len(s.wait) > 0 && s.total < n*w.Slots {
				x := s.wait[0]
				s.wait = s.wait[1:]
				s.start(e.t, x)
			}
		} else if len(s.wait) > 0 || s.total == n*w.Slots {
			s.wait = append(s.wait, e)
		} else {
			s.start(e.t, e)
		}
	}
	for _, c := range s.caches {
		s.res.fails += c.fails
	}
	return s.res
}

func (s *simRun) push(e simEvent) {
	e.seq = s.seq
	s.seq++
	heap.Push(&s.q, e)
}

// advance integrates the load over [s.last, t] inside the window.
func (s *simRun) advance(t int64) {
	lo, hi := max(s.last, s.a.warm), min(t, s.a.end)
	s.last = t
	if hi <= lo {
		return
	}
	top := 0
	for _, v := range s.active {
		top = max(top, v)
	}
	s.res.maxArea += int64(top) * (hi - lo)
	s.res.sumArea += int64(s.total) * (hi - lo)
}

// start places turn e.k of session e.s at t and runs it.
func (s *simRun) start(t int64, e simEvent) {
	ss := &s.a.ss[e.s]
	turn := ss.turns[e.k]
	blocks := ss.chain[:turn.prompt]
	r, guarded := s.place(ss.id, blocks)
	c := s.caches[r]
	if t >= s.a.warm && t < s.a.end {
		s.res.hit += int64(c.hit(blocks))
		s.res.prompt += int64(len(blocks))
		s.res.jobs++
		if guarded {
			s.res.guarded++
		}
	}
	for _, v := range [...]uint64{uint64(e.s), uint64(e.k), uint64(t)} {
		s.res.digest = (s.res.digest ^ v) * 1099511628211
	}
	if s.idx != nil {
		s.idx.Learn(s.snap.Replicas[r].ID, blocks)
	}
	s.active[r]++
	s.total++
	s.push(simEvent{t: t + turn.ticks, end: true, s: e.s, k: e.k, r: r, held: c.acquire(ss.chain[:turn.total], nil)})
}

func (s *simRun) finish(e simEvent) {
	s.active[e.r]--
	s.total--
	s.caches[e.r].release(e.held)
	ss := &s.a.ss[e.s]
	if s.aff != nil {
		s.aff.Set(ss.id, s.snap.Replicas[e.r].ID)
	}
	if k := e.k + 1; k < len(ss.turns) {
		s.push(simEvent{t: e.t + ss.turns[k].think, s: e.s, k: k})
	}
}

// place returns the replica a job of session id with blocks goes to.
func (s *simRun) place(id string, blocks []uint64) (int, bool) {
	if s.pol == oracle {
		s.trueMatch(blocks)
		return refPick(&s.pp, s.active, s.w.Slots, s.match)
	}
	for i := range s.snap.Replicas {
		s.snap.Replicas[i].ActiveSlots = s.active[i]
	}
	req := scheduling.Request{ModelID: "m", SessionID: id, Blocks: blocks}
	want, wantG := -1, false
	if s.pol == prefixAware && s.ref != nil {
		// The reference scorer the oracle uses must choose as the Placer
		// does when both read the same (learned) matches.
		clear(s.match)
		for _, h := range s.idx.Match(blocks) {
			s.match[replicaIndex(h.Replica)] = h.Blocks
		}
		want, wantG = refPick(s.ref, s.active, s.w.Slots, s.match)
	}
	d, err := s.pl.Place(&req, s.snap)
	if err != nil || !d.Assigned {
		panic("simulation: no replica for a job although a slot is free")
	}
	if want >= 0 && (want != d.Index || wantG != d.Guarded) {
		s.res.mismatches++
	}
	return d.Index, d.Guarded
}

func replicaIndex(id string) int { return int(id[1]-'0')*10 + int(id[2]-'0') }

// trueMatch sets s.match to each feasible replica's longest cached
// prefix of blocks, read from the engine caches.
func (s *simRun) trueMatch(blocks []uint64) {
	clear(s.match)
	var cur uint64
	for i, v := range s.active {
		if v < s.w.Slots {
			cur |= 1 << i
		}
	}
	for d := 0; d < len(blocks) && cur != 0; d++ {
		v, _ := s.hold.Get(blocks[d])
		nxt := cur & v
		for gone := cur &^ nxt; gone != 0; gone &= gone - 1 {
			s.match[bits.TrailingZeros64(gone)] = d
		}
		cur = nxt
	}
	for ; cur != 0; cur &= cur - 1 {
		s.match[bits.TrailingZeros64(cur)] = len(blocks)
	}
}

// refPick is the prefix score written from its specification (score.go):
// among replicas with a free slot, the highest PrefixWeight × matched −
// LoadWeight × active, ties by the total order (here active asc, index
// asc, as every replica has the same free VRAM); then the guard moves the
// job to the least-loaded replica when the pick's load exceeds it by more
// than GuardSlots and more than GuardPermille per mille.
func refPick(pp *scheduling.PrefixPolicy, active []int, slots int, match []int) (int, bool) {
	pick, least := -1, -1
	var best int64
	for i, v := range active {
		if v >= slots {
			continue
		}
		if least < 0 || v < active[least] {
			least = i
		}
		sc := pp.PrefixWeight*int64(match[i]) - pp.LoadWeight*int64(v)
		if pick < 0 || sc > best || sc == best && v < active[pick] {
			pick, best = i, sc
		}
	}
	c, l := int64(active[pick]), int64(active[least])
	if pick != least && c-l > pp.GuardSlots && c*1000 > l*pp.GuardPermille {
		return least, true
	}
	return pick, false
}
