package scheduling_test

// simTable is a fixed-size open-addressing map from non-zero uint64 keys
// (block hashes) to values, with linear probing and backward-shift
// deletion, so no tombstones pile up however many keys come and go. The
// simulation uses it for the engine caches instead of a Go map, whose
// lookups of absent keys slow down under such churn.
type simTable[V any] struct {
	keys []uint64 // 0: empty
	vals []V
	mask uint64
	n    int
}

// newSimTable returns a table for at most n keys.
func newSimTable[V any](n int) *simTable[V] {
	size := 16
	for size < 2*n {
		size *= 2
	}
	return &simTable[V]{keys: make([]uint64, size), vals: make([]V, size), mask: uint64(size - 1)}
}

func (t *simTable[V]) home(k uint64) uint64 { return (k * 0x9e3779b97f4a7c15) >> 20 & t.mask }

func (t *simTable[V]) slot(k uint64) (uint64, bool) {
	for i := t.home(k); ; i = (i + 1) & t.mask {
		switch t.keys[i] {
		case k:
			return i, true
		case 0:
			return i, false
		}
	}
}

// Get returns the value of k.
func (t *simTable[V]) Get(k uint64) (V, bool) {
	i, ok := t.slot(k)
	return t.vals[i], ok
}

// Set sets k to v; it panics when the table would be over half full.
func (t *simTable[V]) Set(k uint64, v V) {
	i, ok := t.slot(k)
	if !ok {
		if t.n++; 2*t.n > len(t.keys) {
			panic("simTable: over its bound")
		}
		t.keys[i] = k
	}
	t.vals[i] = v
}

// Delete removes k, shifting back the keys probed past it.
func (t *simTable[V]) Delete(k uint64) {
	i, ok := t.slot(k)
	if !ok {
		return
	}
	t.n--
	var zero V
	for j := (i + 1) & t.mask; t.keys[j] != 0; j = (j + 1) & t.mask {
		// The key at j may move to i unless its home lies cyclically
		// in (i, j].
		if h := t.home(t.keys[j]); (j-h)&t.mask >= (j-i)&t.mask {
			t.keys[i], t.vals[i] = t.keys[j], t.vals[j]
			i = j
		}
	}
	t.keys[i], t.vals[i] = 0, zero
}

// Len returns the number of keys.
func (t *simTable[V]) Len() int { return t.n }
