package fairness

import "math/bits"

// KindTokens names the token-weighted policy.
const KindTokens Kind = "weighted-tokens"

// Tokens shares dispatched tokens, not dispatches, in proportion to the
// weights (OC-CORE-1052): one long prompt costs as much as many short ones.
//
// A run is a stretch of dispatches during which the backlog set B stays
// the same (m classes, weights summing to W_B); a dispatch with another
// backlog starts a new run with every count at 0. Within a run, served_k
// is the token cost dispatched to class k. Each dispatch serves the
// backlogged class with the least served_k/w_k (ties: the higher rank);
// the caller charges the dispatched task's cost with CommitCost.
//
// Bound: let S be the tokens dispatched in the run and C the largest cost
// of a task dispatched in it. Then, for every k in B,
//
//	w_k·S/W_B − m·C·w_k/W_B ≤ served_k ≤ w_k·S/W_B + C.
//
// Why: the class served has the least served/w, so after paying c ≤ C
// it is at most C/w_k above the least, and it never gets further above
// since the least only grows; with μ the least served_j/w_j,
// w_k·μ ≤ served_k ≤ w_k·μ + C, and summing over B gives
// W_B·μ ≤ S ≤ W_B·μ + m·C. This is start-time fair queueing in integer
// arithmetic; deficit round robin has a bound of the same shape.
//
// Peek is pure and needs no cost: the choice depends only on what was
// served. Commit without a cost charges 1 (a plain count).
type Tokens struct {
	w      []uint64
	served []uint64
	was    uint64
}

// NewTokens returns a token-weighted picker over classes with the given
// weights, index 0 being the highest rank; the same limits as NewWeighted.
func NewTokens(weights []int) (*Tokens, error) {
	if err := checkWeights(weights); err != nil {
		return nil, err
	}
	t := &Tokens{w: make([]uint64, len(weights)), served: make([]uint64, len(weights))}
	for i, w := range weights {
		t.w[i] = uint64(w)
	}
	return t, nil
}

// Peek returns the backlogged class with the least served/weight in the
// current run (ties: the higher rank).
func (t *Tokens) Peek(backlog uint64) (int, bool) {
	backlog &= mask(len(t.w))
	if backlog == 0 {
		return 0, false
	}
	fresh := backlog != t.was
	best := -1
	for k := range t.w {
		if backlog&(1<<k) == 0 {
			continue
		}
		if fresh {
			return k, true // every count is 0 in a new run: the highest rank
		}
		if best < 0 || t.less(k, best) {
			best = k
		}
	}
	return best, true
}

// less reports served_a/w_a < served_b/w_b, compared exactly in 128 bits.
func (t *Tokens) less(a, b int) bool {
	ah, al := bits.Mul64(t.served[a], t.w[b])
	bh, bl := bits.Mul64(t.served[b], t.w[a])
	return ah < bh || (ah == bh && al < bl)
}

// Commit records a dispatch of class k costing 1.
func (t *Tokens) Commit(k int, backlog uint64) { t.CommitCost(k, backlog, 1) }

// CommitCost records a dispatch of class k with the given token cost
// (negative counts as 0; the count saturates).
func (t *Tokens) CommitCost(k int, backlog uint64, cost int64) {
	backlog &= mask(len(t.w))
	if k < 0 || k >= len(t.w) || backlog&(1<<k) == 0 {
		return
	}
	if backlog != t.was {
		clear(t.served)
		t.was = backlog
	}
	c := uint64(max(cost, 0))
	if s := t.served[k] + c; s >= t.served[k] {
		t.served[k] = s
	} else {
		t.served[k] = ^uint64(0)
	}
}

// CostPicker is a Picker that charges dispatches their token cost; the
// Pool calls CommitCost instead of Commit when its picker is one.
type CostPicker interface {
	Picker
	CommitCost(k int, backlog uint64, cost int64)
}

var _ CostPicker = (*Tokens)(nil)
