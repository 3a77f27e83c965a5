package fairness

// Weighted serves classes in proportion to their weights with a
// deterministic bound on the wait of every backlogged class.
//
// Let W be the sum of the weights of ALL configured classes and
// P(k) = ceil(W / weight_k) the period of class k. Dispatches are numbered
// 0, 1, 2, ... by calls to Pick. While class k is backlogged, the
// dispatches are cut into consecutive windows of P(k) dispatches:
//
//   - a window starts at the dispatch where k is seen backlogged after not
//     being backlogged, unless k was already served in the window it was
//     in when it emptied; then the next window starts where that one ends;
//   - each following window starts where the previous one ends.
//
// Guarantee: every window during which k stays backlogged contains at
// least one dispatch of k. So a newly backlogged class is served within
// P(k) dispatches (2·P(k)−1 in the second case above), and two services of
// a continuously backlogged class are at most 2·P(k)−1 dispatches apart.
//
// The sliding reading — "every run of P(k) consecutive dispatches serves
// k" — cannot be met for all classes at once: weights 3:2:1 give periods
// 2, 3 and 6, and no sequence serves one class every 2nd and another every
// 3rd dispatch while leaving room for the third. The window reading is the
// strongest form that holds for every weight vector.
//
// Shares: a run is a stretch of dispatches during which the backlog set B
// stays the same (m classes, weights summing to W_B). After D dispatches of
// a run every class k in B has been served served_k times with
//
//	D·w_k/W_B − 2(m−1) < served_k < D·w_k/W_B + 2
//
// (exactly D when m = 1), so over any D consecutive dispatches of a run the
// count is within 2m of D·w_k/W_B.
//
// How: each class has a current window and a served flag. A dispatch first
// serves the backlogged class whose current window is unserved and ends
// first (earliest deadline; ties go to the higher rank). Because
// sum(1/P(k)) <= sum(weight_k/W) = 1, earliest-deadline-first never misses
// a window (the classic utilization bound for unit jobs). When every
// backlogged class is already served in its window, the dispatch is spare
// and goes to the class furthest behind its share: smooth weighted round
// robin credits, charged on every dispatch of the run (forced or spare)
// and reset when the backlog set changes, so credit_k = W_B·(D·w_k/W_B −
// served_k) and the credits sum to 0. Why the bound holds: a spare goes
// to the largest credit, at least W_B/m after the increment, so it leaves
// the class less than one dispatch ahead; a window of P(k) ≥ W_B/w_k
// dispatches earns k at least one dispatch of share and forces at most
// one, so a forced dispatch leaves k less than two ahead; and since the
// credits sum to 0, no class is 2(m−1) or more behind. All arithmetic is
// on integers.
type Weighted struct {
	w      []int64
	period []int64
	start  []int64 // start of the current window
	served []bool  // k was served in its current window
	was    uint64  // backlog at the previous dispatch
	cur    []int64 // smooth round-robin credit in the current run
	n      int64   // dispatches so far
}

// NewWeighted returns a weighted picker for classes with the given
// weights, index 0 being the highest rank. It refuses 0 or more than 64
// classes and weights outside 1..MaxWeight, so the sum of the weights is
// at most 64·MaxWeight and no arithmetic overflows.
func NewWeighted(weights []int) (*Weighted, error) {
	if err := checkWeights(weights); err != nil {
		return nil, err
	}
	var sum int64
	for _, w := range weights {
		sum += int64(w)
	}
	n := len(weights)
	f := &Weighted{
		w: make([]int64, n), period: make([]int64, n), start: make([]int64, n),
		served: make([]bool, n), cur: make([]int64, n),
	}
	for i, w := range weights {
		f.w[i] = int64(w)
		f.period[i] = (sum + int64(w) - 1) / int64(w)
	}
	return f, nil
}

// Period returns P(k) = ceil(sum of all weights / weight_k), or 0 when k
// is not a class index.
func (f *Weighted) Period(k int) int {
	if k < 0 || k >= len(f.period) {
		return 0
	}
	return int(f.period[k])
}

// window returns class k's current window start and served flag as of
// dispatch f.n with the given backlog, without changing anything.
func (f *Weighted) window(k int) (int64, bool) {
	start, served := f.start[k], f.served[k]
	end := start + f.period[k]
	switch {
	case f.was&(1<<k) == 0 && (!served || f.n >= end):
		return f.n, false // fresh window: k just became backlogged
	case f.n >= end:
		return start + (f.n-start)/f.period[k]*f.period[k], false
	}
	return start, served
}

// Peek returns the class the next dispatch serves: the backlogged class
// whose unserved window ends first (ties: higher rank), else the
// backlogged class that is furthest behind its share (see lag).
func (f *Weighted) Peek(backlog uint64) (int, bool) {
	backlog &= mask(len(f.w))
	if backlog == 0 {
		return 0, false
	}
	if k := f.due(backlog); k >= 0 {
		return k, true
	}
	return f.behind(backlog), true
}

// due returns the backlogged class with the earliest-ending unserved
// window, or -1.
func (f *Weighted) due(backlog uint64) int {
	best, bestEnd := -1, int64(0)
	for k := range f.w {
		if backlog&(1<<k) == 0 {
			continue
		}
		start, served := f.window(k)
		if end := start + f.period[k]; !served && (best < 0 || end < bestEnd) {
			best, bestEnd = k, end // strict < keeps the higher rank on ties
		}
	}
	return best
}

// behind returns the backlogged class with the largest credit after this
// dispatch's increment (ties: higher rank): the class the smooth weighted
// round robin over ALL dispatches of the current run would serve.
func (f *Weighted) behind(backlog uint64) int {
	best, bestCur := -1, int64(0)
	fresh := backlog != f.was
	for k := range f.w {
		if backlog&(1<<k) == 0 {
			continue
		}
		c := f.w[k]
		if !fresh {
			c += f.cur[k]
		}
		if best < 0 || c > bestCur {
			best, bestCur = k, c
		}
	}
	return best
}

// Commit records a dispatch of class k with the given backlog.
func (f *Weighted) Commit(k int, backlog uint64) {
	backlog &= mask(len(f.w))
	if k < 0 || k >= len(f.w) || backlog&(1<<k) == 0 {
		return // not a dispatch of a backlogged class
	}
	owed := f.due(backlog) >= 0
	for j := range f.w {
		if backlog&(1<<j) != 0 {
			f.start[j], f.served[j] = f.window(j)
		}
	}
	if owed {
		f.served[k] = true
	}
	f.charge(k, backlog)
	f.was = backlog
	f.n++
}

// charge does the smooth weighted round-robin bookkeeping for a dispatch
// of class k, forced or spare: every backlogged class earns its weight,
// k pays the backlogged weights' sum. A new backlog set starts a new run
// with every credit at 0, so within a run credit_k = D·w_k − W_B·served_k
// and the credits of the backlogged classes sum to 0.
func (f *Weighted) charge(k int, backlog uint64) {
	if backlog != f.was {
		clear(f.cur)
	}
	var total int64
	for j := range f.w {
		if backlog&(1<<j) != 0 {
			f.cur[j] += f.w[j]
			total += f.w[j]
		}
	}
	f.cur[k] -= total
}
