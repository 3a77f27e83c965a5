package proptest

import "fmt"

// Share is the reference checker of the weighted share bound (OC-CORE-1006,
// 1007), shared by the fairness and pool properties. Like Windows it
// follows only the dispatch sequence and the backlog at each dispatch.
//
// A run is a stretch of dispatches during which the backlog set B stays
// the same; a dispatch with another backlog starts a new run. With m the
// number of classes in B, W_B the sum of their weights and D the number of
// dispatches of the run so far, every class k in B must have been served
// served_k times with
//
//	D·w_k/W_B − 2(m−1) < served_k < D·w_k/W_B + 2
//
// (served_k = D when m = 1). The checker works in integers:
// lag = D·w_k − W_B·served_k must lie strictly inside (−2·W_B, 2(m−1)·W_B).
type Share struct {
	w      []int64
	prev   uint64
	d      int64
	served []int64
}

// NewShare returns the checker for classes 0..len(weights)-1.
func NewShare(weights []int) *Share {
	s := &Share{w: make([]int64, len(weights)), served: make([]int64, len(weights))}
	for k, x := range weights {
		s.w[k] = int64(x)
	}
	return s
}

// Step records the next dispatch, of class got with the given backlog, and
// returns a description of the first class outside the bound, or "".
func (s *Share) Step(backlog uint64, got int) string {
	if backlog != s.prev {
		s.d = 0
		clear(s.served)
		s.prev = backlog
	}
	s.d++
	if got >= 0 && got < len(s.served) {
		s.served[got]++
	}
	var wb, m int64
	for k := range s.w {
		if backlog&(1<<k) != 0 {
			wb += s.w[k]
			m++
		}
	}
	for k := range s.w {
		if backlog&(1<<k) == 0 {
			continue
		}
		lag := s.d*s.w[k] - wb*s.served[k]
		if lag <= -2*wb || (m > 1 && lag >= 2*(m-1)*wb) || (m == 1 && lag != 0) {
			return fmt.Sprintf("class %d served %d of %d dispatches of a run with backlog %b, want %d·%d/%d within (−%d, +2)",
				k, s.served[k], s.d, backlog, s.d, s.w[k], wb, 2*(m-1))
		}
	}
	return ""
}
