package scheduling

// A replica is invalid when its snapshot entry cannot be trusted: an
// empty id (a job would name no replica, and the empty id could become a
// session's last good replica), an id that another entry of the same
// snapshot also carries (ids are the identity of a replica: the
// tie-break, affinity and the replica-set registry all key on it, so a
// repeated id would make the outcome depend on snapshot order; every
// entry carrying it is invalid), or a negative count: active or total
// slots, free VRAM, supported context, a device number. Invalid replicas
// are filtered first, with ReplicaInvalid.
func untrusted(r *Replica) bool {
	if r.ID == "" || r.ActiveSlots < 0 || r.SlotsTotal < 0 || r.FreeVRAMMB < 0 || r.CtxMaxSupported < 0 {
		return true
	}
	for _, d := range r.Devices {
		if d < 0 {
			return true
		}
	}
	return false
}

// outside is the outcome of a replica a decision did not consider
// (another pool or replica set).
const outside = Reason(0xff)

// seen is an open-addressing table of replica indexes by id, reused
// across snapshots so that it allocates only when a snapshot is larger
// than any before. It finds repeated ids in one pass, and a replica by
// id. The hash only spreads the probes; equality is decided by comparing
// ids, so no outcome depends on the hash or on snapshot order.
type seen struct {
	tag  []uint8 // 0: empty slot; else 8 bits of the id's hash, never 0
	at   []int32 // replica index in a used slot
	mask uint64
}

func (s *seen) reset(n int) {
	size := 1
	for size < 2*n {
		size <<= 1
	}
	if cap(s.tag) < size {
		s.tag, s.at = make([]uint8, size), make([]int32, size)
	}
	s.tag, s.at = s.tag[:size], s.at[:size]
	clear(s.tag)
	s.mask = uint64(size - 1)
}

// add records replica i and returns the index of the first earlier
// replica with the same id, or -1.
func (s *seen) add(rs []Replica, i int) int {
	id := rs[i].ID
	x := spread(id)
	tag := uint8(x>>56) | 1
	for h := x & s.mask; ; h = (h + 1) & s.mask {
		switch s.tag[h] {
		case 0:
			s.tag[h], s.at[h] = tag, int32(i)
			return -1
		case tag:
			if j := s.at[h]; rs[j].ID == id {
				return int(j)
			}
		}
	}
}

// find returns the index of the first recorded replica of rs with this
// id, or -1.
func (s *seen) find(rs []Replica, id string) int {
	if len(s.tag) == 0 {
		return -1
	}
	x := spread(id)
	tag := uint8(x>>56) | 1
	for h := x & s.mask; ; h = (h + 1) & s.mask {
		switch s.tag[h] {
		case 0:
			return -1
		case tag:
			if j := s.at[h]; rs[j].ID == id {
				return int(j)
			}
		}
	}
}

// spread mixes the length and up to the last eight bytes of s: replica
// ids usually differ in their tail ("r-0001", "r-0002").
func spread(s string) uint64 {
	h := uint64(len(s))
	for i := max(0, len(s)-8); i < len(s); i++ {
		h = h<<8 | uint64(s[i])
	}
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	return h
}

// Repeats finds the replica ids that occur more than once in a snapshot,
// for a caller that must treat those replicas apart before placement
// (the Pool keeps them out of its replica-set registry). The zero value is
// ready; it reuses its memory across calls and is not safe for concurrent
// use.
type Repeats struct {
	s   seen
	dup []bool
}

// Mark returns, by index into rs, whether another entry of rs carries the
// same id. The slice is valid until the next call.
func (m *Repeats) Mark(rs []Replica) []bool {
	m.s.reset(len(rs))
	if cap(m.dup) < len(rs) {
		m.dup = make([]bool, len(rs))
	}
	m.dup = m.dup[:len(rs)]
	clear(m.dup)
	for i := range rs {
		if j := m.s.add(rs, i); j >= 0 {
			m.dup[i], m.dup[j] = true, true
		}
	}
	return m.dup
}
