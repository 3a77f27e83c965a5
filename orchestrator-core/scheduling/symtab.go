package scheduling

// symtab interns strings into small integer symbols, numbered in the
// order they are first seen. Symbols are only ever compared for
// equality, so their numbering (which follows snapshot order) never
// reaches a decision. Up to smallSyms values are found by comparing
// against each one (a snapshot usually has a handful of engines, models
// or pools, and the previous value is tried first); past that a map
// indexes them. The map is only read by key, never iterated.
type symtab struct {
	vals   []string
	idx    map[string]uint32
	mapped bool   // idx holds every value of vals
	hit    bool   // lastv is vals[last]
	lastv  string // the value interned last, tried first
	last   uint32
}

const smallSyms = 8

// none is a symbol no value has: a request value the table never saw
// becomes none, and matches nothing.
const none = ^uint32(0)

func (s *symtab) reset() {
	s.vals, s.mapped, s.hit, s.lastv, s.last = s.vals[:0], false, false, "", 0
	if s.idx != nil {
		clear(s.idx)
	}
}

// intern returns v's symbol, adding v when new. The value interned last
// is tried first, inline.
func (s *symtab) intern(v string) uint32 {
	if s.hit && s.lastv == v {
		return s.last
	}
	return s.add(v)
}

func (s *symtab) add(v string) uint32 {
	s.hit, s.lastv = true, v
	if x := s.find(v); x != none {
		s.last = x
		return x
	}
	x := uint32(len(s.vals))
	s.vals = append(s.vals, v)
	if s.mapped {
		s.idx[v] = x
	} else if len(s.vals) > smallSyms {
		if s.idx == nil {
			s.idx = make(map[string]uint32, 2*len(s.vals))
		}
		for i, w := range s.vals {
			s.idx[w] = uint32(i)
		}
		s.mapped = true
	}
	s.last = x
	return x
}

// find returns v's symbol, or none when v was never interned.
func (s *symtab) find(v string) uint32 {
	if s.mapped {
		if x, ok := s.idx[v]; ok {
			return x
		}
		return none
	}
	for i, w := range s.vals {
		if w == v {
			return uint32(i)
		}
	}
	return none
}
