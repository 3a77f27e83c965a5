package scheduling

import (
	"slices"
	"strings"

	"orchcore.dev/orchestrator-core/observe"
)

// Decision is the outcome of one placement, with the counts that explain
// it (OC-CORE-1042).
type Decision struct {
	// Assigned is true when a replica was chosen.
	Assigned bool
	// Index is the chosen replica's position in Snapshot.Replicas, -1 when
	// nothing was assigned.
	Index      int
	ReplicaID  string
	PoolID     string
	ReplicaSet string
	// KVWarmth is true when the session stays on its last good replica
	// (OC-CORE-1013) or the chosen replica holds a prefix of the
	// request's blocks (OC-CORE-1055).
	KVWarmth bool
	// Moved is true when the session had a last good replica and the job
	// goes elsewhere.
	Moved bool
	// Pinned is true when the request named a pool.
	Pinned bool
	// MatchedBlocks is how many of the request's leading blocks the
	// chosen replica holds, by the prefix index (OC-CORE-1055); Guarded
	// is true when the imbalance guard replaced the best-scoring replica
	// by the least-loaded one.
	MatchedBlocks int
	Guarded       bool
	// Reason is NoReason when Assigned; otherwise see [ReasonFor].
	Reason             Reason
	CandidatesTotal    int
	CandidatesFeasible int
	// Filtered counts the candidates removed per Reason (index 0 unused).
	Filtered [NumReasons]int
}

// ReasonFor is the rule that names why nothing was placed: the latest
// pipeline stage that removed at least one candidate, that is, the stage
// the best candidate failed at. With no candidate at all it is
// PoolUnready. It depends only on the counts, never on replica order.
func ReasonFor(filtered [NumReasons]int) Reason {
	for r := NumReasons - 1; r > int(NoReason); r-- {
		if filtered[r] > 0 {
			return Reason(r)
		}
	}
	return PoolUnready
}

// Counts lists the non-zero filter counts sorted by reason code, in the
// shape the observer and logs use.
func (d *Decision) Counts() []observe.ReasonCount {
	var out []observe.ReasonCount
	for r := 1; r < NumReasons; r++ {
		if n := d.Filtered[r]; n > 0 {
			out = append(out, observe.ReasonCount{Reason: Reason(r).String(), Count: n})
		}
	}
	slices.SortFunc(out, func(a, b observe.ReasonCount) int { return strings.Compare(a.Reason, b.Reason) })
	return out
}

// Placement returns the counts as an observer event payload.
func (d *Decision) Placement() *observe.Placement {
	return &observe.Placement{
		CandidatesTotal:    d.CandidatesTotal,
		CandidatesFeasible: d.CandidatesFeasible,
		Filtered:           d.Counts(),
	}
}
