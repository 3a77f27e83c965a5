package scheduling

import "math/bits"

func trailing(b uint64) int { return bits.TrailingZeros64(b) }

// slot returns replica's slot, making it the most recently learned
// replica; a new replica beyond the bound evicts the least recent one.
func (x *Prefix) slot(id string) int32 {
	if s, ok := x.slots.Get(id); ok {
		x.unlink(s)
		x.link(s)
		return s
	}
	if x.slots.Len() >= x.reps {
		x.drop(x.old)
	}
	var s int32
	if n := len(x.free); n > 0 {
		s, x.free = x.free[n-1], x.free[:n-1]
	} else {
		s = int32(len(x.rs))
		x.rs = append(x.rs, rslot{})
	}
	x.rs[s] = rslot{id: id, head: -1, tail: -1, older: -1, newer: -1}
	x.slots.Set(id, s)
	x.link(s)
	return s
}

// link makes s the most recent replica; unlink takes it out of the list.
func (x *Prefix) link(s int32) {
	r := &x.rs[s]
	r.older, r.newer = x.young, -1
	if x.young >= 0 {
		x.rs[x.young].newer = s
	} else {
		x.old = s
	}
	x.young = s
}

func (x *Prefix) unlink(s int32) {
	r := &x.rs[s]
	if r.older >= 0 {
		x.rs[r.older].newer = r.newer
	} else {
		x.old = r.newer
	}
	if r.newer >= 0 {
		x.rs[r.newer].older = r.older
	} else {
		x.young = r.older
	}
}

// drop forgets replica s and frees its slot.
func (x *Prefix) drop(s int32) {
	x.clear(s)
	x.unlink(s)
	x.slots.Delete(x.rs[s].id)
	x.rs[s] = rslot{}
	x.free = append(x.free, s)
}

// clear forgets every block of replica s.
func (x *Prefix) clear(s int32) {
	for x.rs[s].tail >= 0 {
		x.evict(s)
	}
}

// trim evicts replica s's least recent blocks beyond the bound.
func (x *Prefix) trim(s int32) {
	for x.rs[s].n > x.per {
		x.evict(s)
	}
}

// touch makes block h the most recent of replica s, adding it if new.
func (x *Prefix) touch(s int32, h uint64) {
	k := ekey{h, s}
	if e, ok := x.ents.Get(k); ok {
		x.cut(e)
		x.push(e)
		return
	}
	var e int32
	if n := len(x.freeE); n > 0 {
		e, x.freeE = x.freeE[n-1], x.freeE[:n-1]
	} else {
		e = int32(len(x.es))
		x.es = append(x.es, ent{})
	}
	x.es[e] = ent{h: h, s: s}
	x.ents.Set(k, e)
	x.push(e)
	x.rs[s].n++
	x.set(h, s)
}

// evict removes replica s's least recent block.
func (x *Prefix) evict(s int32) {
	e := x.rs[s].tail
	h := x.es[e].h
	x.cut(e)
	x.ents.Delete(ekey{h, s})
	x.freeE = append(x.freeE, e)
	x.rs[s].n--
	x.unset(h, s)
}

// push puts entry e at the head of its replica's list; cut takes it out.
func (x *Prefix) push(e int32) {
	en := &x.es[e]
	r := &x.rs[en.s]
	en.newer, en.prev = -1, r.head
	if r.head >= 0 {
		x.es[r.head].newer = e
	} else {
		r.tail = e
	}
	r.head = e
}

func (x *Prefix) cut(e int32) {
	en := &x.es[e]
	r := &x.rs[en.s]
	if en.newer >= 0 {
		x.es[en.newer].prev = en.prev
	} else {
		r.head = en.prev
	}
	if en.prev >= 0 {
		x.es[en.prev].newer = en.newer
	} else {
		r.tail = en.newer
	}
}

// set adds slot s to the holders of block h.
func (x *Prefix) set(h uint64, s int32) {
	n, ok := x.nodes.Get(h)
	if !ok {
		if k := len(x.freeN); k > 0 {
			n, x.freeN = x.freeN[k-1], x.freeN[:k-1]
		} else {
			n = int32(len(x.ns))
			x.ns = append(x.ns, node{})
		}
		x.nodes.Set(h, n)
	}
	ws, i, bit := x.ns[n].words, s/64, uint64(1)<<(s%64)
	j := find(ws, i)
	if j < len(ws) && ws[j].i == i {
		ws[j].bits |= bit
		return
	}
	ws = append(ws, word{})
	copy(ws[j+1:], ws[j:])
	ws[j] = word{i, bit}
	x.ns[n].words = ws
}

// unset removes slot s from the holders of block h, and the block when
// no replica holds it any more.
func (x *Prefix) unset(h uint64, s int32) {
	n, ok := x.nodes.Get(h)
	if !ok {
		return
	}
	ws, i := x.ns[n].words, s/64
	j := find(ws, i)
	if j == len(ws) || ws[j].i != i {
		return
	}
	if ws[j].bits &^= uint64(1) << (s % 64); ws[j].bits == 0 {
		ws = append(ws[:j], ws[j+1:]...)
	}
	x.ns[n].words = ws
	if len(ws) == 0 {
		x.nodes.Delete(h)
		x.freeN = append(x.freeN, n)
	}
}

// find returns the position of the first word with index >= i.
func find(ws []word, i int32) int {
	lo, hi := 0, len(ws)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if ws[m].i < i {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}
