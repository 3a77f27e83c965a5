package fairness

import (
	"fmt"
	"math/bits"
)

// Picker chooses the class served by the next dispatch.
//
// Class indices run from 0 (highest rank) upward, as in queue.Queue.
// backlog is the set of classes that have queued tasks at the moment of
// the decision (bit i = class i).
//
// Peek returns the class the next dispatch should serve, false only when
// backlog is empty; it changes nothing, so a dispatcher whose placement
// fails can leave the task queued and ask again later. Commit records that
// a dispatch of class k happened with the given backlog; every dispatch is
// committed exactly once.
type Picker interface {
	Peek(backlog uint64) (int, bool)
	Commit(k int, backlog uint64)
}

// Pick peeks and commits in one step.
func Pick(p Picker, backlog uint64) (int, bool) {
	k, ok := p.Peek(backlog)
	if ok {
		p.Commit(k, backlog)
	}
	return k, ok
}

// MaxWeight is the largest class weight New, NewWeighted and NewStrict
// accept. With at most 64 classes the weights sum to at most 64·MaxWeight,
// so no period, window or round-robin credit can overflow int64.
const MaxWeight = 1_000_000

// Kind names a fairness policy as configuration spells it.
type Kind string

// Fairness policies.
const (
	KindWeighted Kind = "weighted"
	KindStrict   Kind = "strict"
)

// New returns the picker of the given kind over classes with the given
// weights (index 0 = highest rank). The empty kind is weighted. Every
// kind refuses 0 or more than 64 classes and weights outside
// 1..MaxWeight, so the same configuration is valid whatever the policy.
func New(kind Kind, weights []int) (Picker, error) {
	if err := checkWeights(weights); err != nil {
		return nil, err
	}
	switch kind {
	case "", KindWeighted:
		return NewWeighted(weights)
	case KindStrict:
		return NewStrict(len(weights))
	case KindTokens:
		return NewTokens(weights)
	}
	return nil, fmt.Errorf("fairness: unknown policy %q", kind)
}

// Strict always serves the highest-ranked backlogged class. Lower classes
// starve while a higher one stays backlogged; that is its documented
// contract (OC-CORE-1006).
type Strict struct{ n int }

// NewStrict returns a strict picker over n classes.
func NewStrict(n int) (*Strict, error) {
	if n < 1 || n > 64 {
		return nil, fmt.Errorf("fairness: need 1..64 classes, got %d", n)
	}
	return &Strict{n: n}, nil
}

// Commit does nothing: strict keeps no state.
func (s *Strict) Commit(int, uint64) {}

// Peek returns the lowest backlogged index, i.e. the highest rank.
func (s *Strict) Peek(backlog uint64) (int, bool) {
	backlog &= mask(s.n)
	if backlog == 0 {
		return 0, false
	}
	return bits.TrailingZeros64(backlog), true
}

// checkWeights refuses 0 or more than 64 classes and weights outside
// 1..MaxWeight.
func checkWeights(weights []int) error {
	if len(weights) < 1 || len(weights) > 64 {
		return fmt.Errorf("fairness: need 1..64 classes, got %d", len(weights))
	}
	for i, w := range weights {
		if w < 1 || w > MaxWeight {
			return fmt.Errorf("fairness: class %d weight %d outside 1..%d", i, w, MaxWeight)
		}
	}
	return nil
}

func mask(n int) uint64 {
	if n >= 64 {
		return ^uint64(0)
	}
	return 1<<n - 1
}
