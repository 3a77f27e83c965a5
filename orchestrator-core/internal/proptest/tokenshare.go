package proptest

import "fmt"

// TokenShare is the reference checker of the token-weighted bound
// (OC-CORE-1052). A run is a stretch of dispatches with one backlog set B
// (m classes, weights summing to W_B); within it, with S the tokens
// dispatched and C the largest cost dispatched, every class k of B must
// have been served served_k tokens with
//
//	w_k·S/W_B − m·C·w_k/W_B ≤ served_k ≤ w_k·S/W_B + C
//
// checked in integers (multiplied through by W_B).
type TokenShare struct {
	w         []int64
	prev      uint64
	s, c      int64
	served    []int64
	runLength int
}

// NewTokenShare returns the checker for classes 0..len(weights)-1.
func NewTokenShare(weights []int) *TokenShare {
	t := &TokenShare{w: make([]int64, len(weights)), served: make([]int64, len(weights))}
	for k, x := range weights {
		t.w[k] = int64(x)
	}
	return t
}

// Step records a dispatch of class got costing cost with the given
// backlog and returns a description of the first class outside the
// bound, or "".
func (t *TokenShare) Step(backlog uint64, got int, cost int64) string {
	if backlog != t.prev {
		t.s, t.c, t.runLength = 0, 0, 0
		clear(t.served)
		t.prev = backlog
	}
	t.runLength++
	if got >= 0 && got < len(t.served) {
		t.served[got] += cost
	}
	t.s += cost
	t.c = max(t.c, cost)
	var wb, m int64
	for k := range t.w {
		if backlog&(1<<k) != 0 {
			wb += t.w[k]
			m++
		}
	}
	for k := range t.w {
		if backlog&(1<<k) == 0 {
			continue
		}
		x := t.served[k] * wb
		hi := t.w[k]*t.s + t.c*wb
		lo := t.w[k]*t.s - m*t.c*t.w[k]
		if x > hi || x < lo {
			return fmt.Sprintf("class %d served %d of %d tokens in %d dispatches (largest cost %d) of a run with backlog %b: outside [%d·S/%d − %d·C·%d/%d, %d·S/%d + C]",
				k, t.served[k], t.s, t.runLength, t.c, backlog, t.w[k], wb, m, t.w[k], wb, t.w[k], wb)
		}
	}
	return ""
}
