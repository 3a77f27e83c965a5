package proptest

// Windows is the reference checker of the OC-CORE-1006 bound, shared by
// the fairness and pool property tests. It knows nothing of how a picker
// decides; it only follows the dispatch sequence and the backlog at each
// dispatch, and cuts each class's backlogged stretches into windows of
// P(k) = ceil(W/w_k) dispatches, W being the sum of ALL configured
// weights (the reading documented on fairness.Weighted):
//
//   - when k is backlogged now but was not at the previous dispatch, a
//     window starts now, unless k was served in its current window and
//     that window has not ended (then the next window starts at its end);
//   - while k stays backlogged, each window starts where the last ended.
//
// Every window that ends while k stays backlogged must contain a dispatch
// of k.
type Windows struct {
	period []int
	start  []int
	served []bool
	prev   uint64
	n      int
}

// NewWindows returns the checker for classes 0..len(weights)-1 with the
// given weights, each at least 1.
func NewWindows(weights []int) *Windows {
	sum := 0
	for _, w := range weights {
		sum += w
	}
	n := len(weights)
	w := &Windows{period: make([]int, n), start: make([]int, n), served: make([]bool, n)}
	for k, x := range weights {
		w.period[k] = (sum + x - 1) / x
	}
	return w
}

// Period is P(k), the window length of class k in dispatches.
func (w *Windows) Period(k int) int { return w.period[k] }

// Dispatches is how many dispatches Step has recorded.
func (w *Windows) Dispatches() int { return w.n }

// Step records the next dispatch, of class got (out of range: none) with
// the given backlog (bit k set: class k has work), and returns a class
// whose window closed unserved, or -1.
func (w *Windows) Step(backlog uint64, got int) int {
	missed := -1
	for k := range w.period {
		if backlog&(1<<k) == 0 {
			continue
		}
		end := w.start[k] + w.period[k]
		switch {
		case w.prev&(1<<k) == 0:
			if !w.served[k] || w.n >= end {
				w.start[k], w.served[k] = w.n, false
			}
		case w.n == end:
			if !w.served[k] {
				missed = k
			}
			w.start[k], w.served[k] = end, false
		}
	}
	if got >= 0 && got < len(w.served) {
		w.served[got] = true
	}
	w.prev = backlog
	w.n++
	return missed
}
