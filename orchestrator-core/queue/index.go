package queue

import "hash/maphash"

// ids is the id index: task id -> arena slot. It is an open-addressing
// table with linear probing over 8-byte entries (32 bits of the id's hash
// and the slot), so a lookup usually reads one cache line of the table
// and then the node, where the hit is verified against the node's id.
// Deletion shifts the following entries back (no tombstones), so probe
// runs stay short under any mix of inserts and deletes. The table doubles
// when it is half full and never shrinks, so a steady state allocates
// nothing. The hash seed is random per queue: it changes where entries
// sit, never what a lookup returns, and the table is never iterated, so no
// decision depends on it.
type ids struct {
	seed maphash.Seed
	e    []entry // length a power of two
	n    int
}

// entry is one table slot; x is the arena slot plus one, 0 when empty.
type entry struct {
	h uint32
	x int32
}

func newIDs() ids { return ids{seed: maphash.MakeSeed(), e: make([]entry, 8)} }

func (ix *ids) hash(id string) uint32 {
	h := maphash.String(ix.seed, id)
	return uint32(h) ^ uint32(h>>32)
}

// find returns the arena slot of id, or none.
func (q *Queue[T]) find(id string) int32 {
	ix := &q.ids
	h, m := ix.hash(id), uint32(len(ix.e)-1)
	for i := h & m; ; i = (i + 1) & m {
		e := ix.e[i]
		if e.x == 0 {
			return none
		}
		if e.h == h && q.nodes[e.x-1].item.ID == id {
			return e.x - 1
		}
	}
}

// insert records slot x under hash h (the id is known to be absent).
func (ix *ids) insert(h uint32, x int32) {
	if 2*(ix.n+1) > len(ix.e) {
		ix.grow()
	}
	ix.put(h, x)
	ix.n++
}

func (ix *ids) put(h uint32, x int32) {
	m := uint32(len(ix.e) - 1)
	i := h & m
	for ix.e[i].x != 0 {
		i = (i + 1) & m
	}
	ix.e[i] = entry{h: h, x: x + 1}
}

func (ix *ids) grow() {
	old := ix.e
	ix.e = make([]entry, 2*len(old))
	for _, e := range old { // rehash by the stored hash bits; order is irrelevant
		if e.x != 0 {
			ix.put(e.h, e.x-1)
		}
	}
}

// remove deletes the entry of slot x, whose id hashes to h.
func (ix *ids) remove(h uint32, x int32) {
	m := uint32(len(ix.e) - 1)
	i := h & m
	for ix.e[i].x != x+1 {
		i = (i + 1) & m
	}
	ix.n--
	// Backward shift: move later entries of the run into the hole unless
	// their home lies cyclically in (hole, their position].
	for j := i; ; {
		ix.e[i] = entry{}
		for {
			j = (j + 1) & m
			e := ix.e[j]
			if e.x == 0 {
				return
			}
			k := e.h & m
			if (i <= j && (k <= i || k > j)) || (i > j && k <= i && k > j) {
				ix.e[i] = e
				i = j
				break
			}
		}
	}
}
