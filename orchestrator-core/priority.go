package core

// Polarity says which engine priority value runs first (OC-CORE-1058).
type Polarity string

// Polarities as configuration spells them.
const (
	// LowerFirst: a lower value runs first (vLLM). The default.
	LowerFirst Polarity = "lower_first"
	// HigherFirst: a higher value runs first.
	HigherFirst Polarity = "higher_first"
)

// enginePriority is the priority a job of class index ci (0 = highest
// rank) of n classes passes to its engine: the class's position in rank
// order, so the engine's scheduler and preemption order jobs as the
// core's classes do. lower_first gives 0 to the highest rank; higher_first
// gives it n-1.
func enginePriority(p Polarity, ci, n int) int {
	if p == HigherFirst {
		return n - 1 - ci
	}
	return ci
}

// priorityOf is the engine priority of a job of the named class.
func (p *Pool) priorityOf(class string) int {
	q := p.mu.q
	ci, _ := q.Class(class)
	return enginePriority(p.prio, ci, len(q.Classes()))
}
