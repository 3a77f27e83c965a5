package scheduling

import "orchcore.dev/orchestrator-core/internal/churn"

// Prefix is what the core knows of which replica caches which prompt
// blocks (OC-CORE-1055): for each replica, a bounded set of block hashes
// in least-recently-used order, and one table from block hash to the
// replicas holding it, so that a lookup walks the request's blocks once
// instead of every replica's set.
//
// Blocks are learned when a job is placed ([Prefix.Learn]) and replaced
// by what an engine reports ([Prefix.Report]). Learning a chain touches
// its blocks from the last to the first, so the first blocks of a prompt
// are always more recent than the later ones and eviction takes a
// chain's tail before its head: a replica that holds block i learned
// holds blocks 0..i-1 too. Which block or replica is evicted depends only
// on the sequence of calls.
//
// Memory is O(replicas × blocks per replica). Not safe for concurrent use.
type Prefix struct {
	per, reps int // bounds: blocks per replica, replicas

	slots churn.Map[string, int32] // replica id -> slot
	rs    []rslot
	free  []int32 // free slots
	young int32   // most recently learned replica, -1 when none
	old   int32   // least recently learned replica

	nodes churn.Map[uint64, int32] // block hash -> node
	ns    []node
	freeN []int32

	ents  churn.Map[ekey, int32] // (block, slot) -> entry
	es    []ent
	freeE []int32

	cur, nxt []word // scratch of Match
	hits     []Hit
}

// rslot is one replica: its entries from most (head) to least (tail)
// recent, and its place in the replica recency list.
type rslot struct {
	id           string
	head, tail   int32
	n            int
	older, newer int32
}

// node is the set of replicas holding one block: a sparse bitset over
// slots, words in increasing index order, none zero.
type node struct{ words []word }

type word struct {
	i    int32
	bits uint64
}

// ent is one block held by one replica.
type ent struct {
	h           uint64
	s           int32
	newer, prev int32 // neighbours in the replica's list: more, less recent
}

type ekey struct {
	h uint64
	s int32
}

// Hit is a replica holding a prefix of the request's blocks: Blocks is
// the length of the longest prefix it holds.
type Hit struct {
	Replica string
	Blocks  int
}

// NewPrefix returns an empty index keeping at most perReplica blocks for
// each of at most replicas replicas (each at least 1).
func NewPrefix(perReplica, replicas int) *Prefix {
	return &Prefix{per: max(perReplica, 1), reps: max(replicas, 1), young: -1, old: -1}
}

// Len returns the number of replicas and of (replica, block) entries
// held.
func (x *Prefix) Len() (replicas, entries int) { return x.slots.Len(), x.ents.Len() }

// Learn records that replica now caches blocks (a chain from [Chain]):
// each block becomes the replica's most recent, the first block last, and
// the replica's least recent blocks beyond the bound are evicted. The
// replica becomes the most recently learned; a new replica beyond the
// replica bound evicts the least recently learned one whole.
func (x *Prefix) Learn(replica string, blocks []uint64) {
	if replica == "" || len(blocks) == 0 {
		return
	}
	s := x.slot(replica)
	for i := len(blocks) - 1; i >= 0; i-- {
		if blocks[i] != 0 {
			x.touch(s, blocks[i])
		}
	}
	x.trim(s)
}

// Report replaces what is known of replica by what its engine reports
// holding: every learned block is forgotten, then the first blocks of
// the report (up to the bound, zero hashes skipped) are recorded, the
// earlier ones more recent. The engine's view wins over what the core
// learned, which may be out of date.
func (x *Prefix) Report(replica string, blocks []uint64) {
	if replica == "" {
		return
	}
	s := x.slot(replica)
	x.clear(s)
	if len(blocks) > x.per {
		blocks = blocks[:x.per]
	}
	for i := len(blocks) - 1; i >= 0; i-- {
		if blocks[i] != 0 {
			x.touch(s, blocks[i])
		}
	}
}

// Forget drops everything known of replica.
func (x *Prefix) Forget(replica string) {
	s, ok := x.slots.Get(replica)
	if !ok {
		return
	}
	x.drop(s)
}

// Match returns the replicas holding a prefix of blocks with the length
// of the longest prefix each holds, shortest first, then by slot (so
// the order depends only on the sequence of calls). It walks blocks once, intersecting the
// holders of each block with those of the blocks before it. The slice is
// valid until the next call; Match allocates nothing once its scratch
// has grown to the number of replicas.
func (x *Prefix) Match(blocks []uint64) []Hit {
	x.hits = x.hits[:0]
	if len(blocks) == 0 {
		return x.hits
	}
	n, ok := x.nodes.Get(blocks[0])
	if !ok {
		return x.hits
	}
	x.cur = append(x.cur[:0], x.ns[n].words...)
	for d := 1; d < len(blocks) && len(x.cur) > 0; d++ {
		x.nxt = x.nxt[:0]
		if n, ok := x.nodes.Get(blocks[d]); ok {
			x.nxt = intersect(x.nxt, x.cur, x.ns[n].words)
		}
		x.emit(x.cur, x.nxt, d)
		x.cur, x.nxt = x.nxt, x.cur
	}
	x.emit(x.cur, nil, len(blocks))
	return x.hits
}

// emit records as hits of depth d the slots in cur that are not in nxt
// (nxt is a subset of cur).
func (x *Prefix) emit(cur, nxt []word, d int) {
	j := 0
	for _, w := range cur {
		b := w.bits
		if j < len(nxt) && nxt[j].i == w.i {
			b &^= nxt[j].bits
			j++
		}
		for b != 0 {
			k := trailing(b)
			b &= b - 1
			s := w.i*64 + int32(k)
			x.hits = append(x.hits, Hit{Replica: x.rs[s].id, Blocks: d})
		}
	}
}

func intersect(dst, a, b []word) []word {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i].i < b[j].i:
			i++
		case a[i].i > b[j].i:
			j++
		default:
			if v := a[i].bits & b[j].bits; v != 0 {
				dst = append(dst, word{a[i].i, v})
			}
			i, j = i+1, j+1
		}
	}
	return dst
}
