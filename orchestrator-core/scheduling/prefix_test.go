package scheduling_test

import (
	"slices"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"orchcore.dev/orchestrator-core/internal/proptest"
	"orchcore.dev/orchestrator-core/scheduling"
)

// index is what the property drives: the real Prefix, or a broken one.
type index interface {
	Learn(string, []uint64)
	Report(string, []uint64)
	Forget(string)
	Match([]uint64) []scheduling.Hit
	Len() (int, int)
}

// prefixModel is the plain reference: per replica, its blocks from most
// to least recent, and the replicas from most to least recently learned.
type prefixModel struct {
	per, reps int
	order     []string            // replicas, most recent first
	blocks    map[string][]uint64 // most recent first
}

func (m *prefixModel) slot(id string) {
	if i := slices.Index(m.order, id); i >= 0 {
		m.order = slices.Delete(m.order, i, i+1)
	} else if len(m.order) == m.reps {
		gone := m.order[len(m.order)-1]
		m.order = m.order[:len(m.order)-1]
		delete(m.blocks, gone)
	}
	m.order = slices.Insert(m.order, 0, id)
}

func (m *prefixModel) touch(id string, h uint64) {
	bs := m.blocks[id]
	if i := slices.Index(bs, h); i >= 0 {
		bs = slices.Delete(bs, i, i+1)
	}
	m.blocks[id] = slices.Insert(bs, 0, h)
}

func (m *prefixModel) learn(id string, chain []uint64) {
	if id == "" || len(chain) == 0 {
		return
	}
	m.slot(id)
	for i := len(chain) - 1; i >= 0; i-- {
		m.touch(id, chain[i])
	}
	if bs := m.blocks[id]; len(bs) > m.per {
		m.blocks[id] = bs[:m.per]
	}
}

func (m *prefixModel) report(id string, held []uint64) {
	m.slot(id)
	m.blocks[id] = nil
	held = held[:min(len(held), m.per)]
	for i := len(held) - 1; i >= 0; i-- {
		m.touch(id, held[i])
	}
}

func (m *prefixModel) forget(id string) {
	if i := slices.Index(m.order, id); i >= 0 {
		m.order = slices.Delete(m.order, i, i+1)
		delete(m.blocks, id)
	}
}

// match: for each replica, the longest prefix of q all of whose blocks it
// holds.
func (m *prefixModel) match(q []uint64) map[string]int {
	out := map[string]int{}
	for id, bs := range m.blocks {
		d := 0
		for d < len(q) && slices.Contains(bs, q[d]) {
			d++
		}
		if d > 0 {
			out[id] = d
		}
	}
	return out
}

// prefixProperty runs random Learn, Report, Forget and Match calls on the
// index mk builds and on the model with the same bounds, over a small
// universe of replicas and of chains that share prefixes (a tree of
// blocks), and compares every Match and the sizes.
func prefixProperty(mk func(per, reps int) index) func(*rapid.T) {
	return func(t *rapid.T) {
		per := rapid.IntRange(1, 6).Draw(t, "per")
		reps := rapid.IntRange(1, 4).Draw(t, "reps")
		x := mk(per, reps)
		m := &prefixModel{per: per, reps: reps, blocks: map[string][]uint64{}}
		ids := []string{"r0", "r1", "r2", "r3", "r4"}
		// block b's parent is b/3 (block 1 is a root): chains are paths
		// from a root, so prompts share prefixes.
		chain := func(label string) []uint64 {
			leaf := rapid.Uint64Range(1, 60).Draw(t, label)
			var c []uint64
			for b := leaf; b >= 1; b /= 3 {
				c = append([]uint64{b}, c...)
			}
			return c
		}
		steps := rapid.IntRange(1, 60).Draw(t, "steps")
		for range steps {
			id := rapid.SampledFrom(ids).Draw(t, "id")
			switch rapid.IntRange(0, 9).Draw(t, "op") {
			case 0:
				x.Forget(id)
				m.forget(id)
			case 1, 2:
				held := rapid.SliceOfNDistinct(rapid.Uint64Range(1, 60), 0, 8, rapid.ID).Draw(t, "held")
				x.Report(id, held)
				m.report(id, held)
			default:
				c := chain("leaf")
				x.Learn(id, c)
				m.learn(id, c)
			}
			q := chain("query")
			got := map[string]int{}
			for _, h := range x.Match(q) {
				if _, dup := got[h.Replica]; dup {
					t.Fatalf("Match(%v) lists %s twice", q, h.Replica)
				}
				got[h.Replica] = h.Blocks
			}
			if want := m.match(q); !mapsEqual(got, want) {
				t.Fatalf("Match(%v) = %v, model %v (model blocks %v)", q, got, want, m.blocks)
			}
			n, e := x.Len()
			we := 0
			for _, bs := range m.blocks {
				we += len(bs)
			}
			if n != len(m.order) || e != we {
				t.Fatalf("Len = %d replicas, %d entries; model %d, %d", n, e, len(m.order), we)
			}
		}
	}
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func TestPrefixMatchesModel(t *testing.T) {
	t.Attr("req", "OC-CORE-1055")
	rapid.Check(t, prefixProperty(func(per, reps int) index { return scheduling.NewPrefix(per, reps) }))
}

// neverEvicts is a broken index whose learned blocks are never evicted
// (its bound is far above the one the model keeps).
func TestPrefixPropertyCatchesNeverEvicting(t *testing.T) {
	t.Attr("req", "OC-CORE-1055")
	failed, first := proptest.Fails(t, prefixProperty(func(_, reps int) index { return scheduling.NewPrefix(1<<20, reps) }))
	if !failed {
		t.Fatal("the property passed an index that never evicts learned blocks")
	}
	if !strings.Contains(first, "Match") && !strings.Contains(first, "Len") {
		t.Fatalf("failed for another reason: %s", first)
	}
}

// An index that forgets replicas beyond no bound is caught too.
func TestPrefixPropertyCatchesUnboundedReplicas(t *testing.T) {
	t.Attr("req", "OC-CORE-1055")
	failed, _ := proptest.Fails(t, prefixProperty(func(per, _ int) index { return scheduling.NewPrefix(per, 1<<20) }))
	if !failed {
		t.Fatal("the property passed an index that keeps every replica")
	}
}

func TestPrefixEvictsTailFirst(t *testing.T) {
	t.Attr("req", "OC-CORE-1055")
	x := scheduling.NewPrefix(3, 4)
	x.Learn("r1", []uint64{10, 11, 12, 13, 14}) // bound 3: keeps 10, 11, 12
	hits := x.Match([]uint64{10, 11, 12, 13, 14})
	if len(hits) != 1 || hits[0] != (scheduling.Hit{Replica: "r1", Blocks: 3}) {
		t.Fatalf("hits %v, want r1 holding 3 blocks", hits)
	}
	// A second chain sharing block 10: its new blocks push out 12 and 11,
	// never the shared head.
	x.Learn("r1", []uint64{10, 20})
	if h := x.Match([]uint64{10, 11}); len(h) != 1 || h[0].Blocks != 2 {
		t.Fatalf("after a second chain: %v, want 10 and 11 still held", h)
	}
	if h := x.Match([]uint64{10, 11, 12}); h[0].Blocks != 2 {
		t.Fatalf("block 12 should be evicted: %v", h)
	}
	x.Report("r1", []uint64{30})
	if h := x.Match([]uint64{10}); len(h) != 0 {
		t.Fatalf("a report must replace learned blocks: %v", h)
	}
}

func TestChain(t *testing.T) {
	t.Attr("req", "OC-CORE-1055")
	a := scheduling.Chain(nil, []int32{1, 2, 3, 4, 5, 6, 7}, 2)
	b := scheduling.Chain(nil, []int32{1, 2, 3, 4, 9, 9}, 2)
	if len(a) != 3 || len(b) != 3 {
		t.Fatalf("full blocks only: %d and %d hashes, want 3 and 3", len(a), len(b))
	}
	if a[0] != b[0] || a[1] != b[1] || a[2] == b[2] {
		t.Fatalf("shared first 4 tokens must share 2 hashes: %x %x", a, b)
	}
	// The same tokens in block 1 after a different block 0 hash
	// differently: the hash covers the whole prefix.
	c := scheduling.Chain(nil, []int32{7, 7, 3, 4}, 2)
	if c[1] == a[1] {
		t.Fatal("block 1's hash does not depend on block 0")
	}
	// A fixed value, computed by hand from FNV-1a's definition, so the
	// chain is stable across builds and languages.
	if got := scheduling.Chain(nil, []int32{0}, 1)[0]; got != fnv1a(make([]byte, 12)) {
		t.Fatalf("Chain([0],1) = %x, want FNV-1a of 12 zero bytes %x", got, fnv1a(make([]byte, 12)))
	}
	if scheduling.Chain(nil, []int32{1, 2}, 0) != nil {
		t.Fatal("size 0 must give no blocks")
	}
}

// fnv1a is the textbook 64-bit FNV-1a.
func fnv1a(b []byte) uint64 {
	h := uint64(0xcbf29ce484222325)
	for _, c := range b {
		h ^= uint64(c)
		h *= 0x100000001b3
	}
	return h
}

func TestCheckBlocks(t *testing.T) {
	t.Attr("req", "OC-CORE-1055")
	long := make([]uint64, 100)
	for i := range long {
		long[i] = uint64(i + 1)
	}
	rep := slices.Clone(long)
	rep[99] = 5
	for _, c := range []struct {
		blocks []uint64
		max    int
		want   string
	}{
		{nil, 4, ""},
		{[]uint64{1, 2, 3}, 3, ""},
		{[]uint64{1, 2, 3, 4}, 3, "more blocks than prefix.max_blocks"},
		{[]uint64{1, 0, 3}, 0, "a zero block hash"},
		{[]uint64{1, 2, 1}, 0, "a repeated block hash"},
		{long, 0, ""},
		{rep, 0, "a repeated block hash"},
	} {
		if got := scheduling.CheckBlocks(c.blocks, c.max); got != c.want {
			t.Errorf("CheckBlocks(%d blocks, %d) = %q, want %q", len(c.blocks), c.max, got, c.want)
		}
	}
}
