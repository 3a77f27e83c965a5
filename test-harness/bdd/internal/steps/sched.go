package steps

import (
	"fmt"
	"slices"
	"strconv"

	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/scheduling"
)

// sched is the replica side of a scenario: the pools and replicas as the
// dispatcher last observed them, and what its calls of Next returned.
type sched struct {
	pools    []scheduling.Pool
	replicas []scheduling.Replica

	// last is the result of the latest Next; nexts counts the calls.
	last  core.Dispatch
	nexts int
	// dispatches are the results of every call of Next, in order.
	dispatches []core.Dispatch
	// many holds the replica of each placement of a repeated placement.
	many []string
	// jobs numbers the tasks that placement steps submit.
	jobs int
	// blockIDs are the hashes standing for the scenario's block names.
	blockIDs map[string]uint64
}

// defaultModel is the model every task asks for and every replica serves
// unless a step says otherwise.
const defaultModel = "llama-8b"

// defaultReplica is a Ready llama.cpp replica of the default model in
// pool p1 and replica set rs1, with free slots and a long context.
func defaultReplica(id string) scheduling.Replica {
	return scheduling.Replica{
		ID: id, PoolID: "p1", ReplicaSet: "rs1",
		Engine: "llamacpp", EngineVersion: "b1", SamplerProfileVersion: "sp1",
		ModelID: defaultModel, ModelDigest: "sha-a", Quant: "Q4",
		Ready: true, FreeVRAMMB: 1000, SlotsTotal: 4, CtxMaxSupported: 8192,
		Features: []string{scheduling.FeatureStreaming},
	}
}

// addReplicas reads a replicas table. Columns other than replica are
// optional; see defaultReplica for the values they replace.
func (s *sched) addReplicas(tab []map[string]string) error {
	for _, row := range tab {
		r := defaultReplica(row["replica"])
		for col, v := range row {
			if err := setReplica(&r, col, v); err != nil {
				return fmt.Errorf("replica %s, column %s: %w", r.ID, col, err)
			}
		}
		if row["sample_age_ms"] == "none" {
			r.Sampled = false // whatever order the columns were read in
		}
		s.replicas = append(s.replicas, r)

	}
	return nil
}

func setReplica(r *scheduling.Replica, col, v string) error {
	var err error
	num := func() int64 {
		n, e := strconv.ParseInt(v, 10, 64)
		if e != nil {
			err = fmt.Errorf("not a number: %q", v)
		}
		return n
	}
	switch col {
	case "replica":
	case "pool":
		r.PoolID = v
	case "set":
		if v != "none" {
			r.ReplicaSet = v
		} else {
			r.ReplicaSet = ""
		}
	case "ready":
		r.Ready, err = yes(v)
	case "devices":
		r.Devices, err = ints(v)
	case "free_vram_mb":
		r.FreeVRAMMB = num()
	case "active_slots":
		r.ActiveSlots = int(num())
	case "slots":
		r.SlotsTotal = int(num())
	case "ctx_max":
		r.CtxMaxSupported = int(num())
	case "engine":
		r.Engine = v
	case "engine_version":
		r.EngineVersion = v
	case "model":
		r.ModelID = v
	case "extensions":
		r.Features = append(list(v), scheduling.FeatureStreaming)
	case "queue_depth": // a load sample (OC-CORE-1056)
		r.Sampled, r.QueueDepth = true, int(num())
	case "kv_permille":
		r.Sampled, r.KVPermille = true, int(num())
	case "sample_age_ms": // "none": no sample at all (applied after the other columns)
		if v != "none" {
			r.Sampled, r.SampleAgeMs = true, num()
		}
	default:
		return fmt.Errorf("unknown column")
	}
	return err
}

func (s *sched) replica(id string) (*scheduling.Replica, error) {
	for i := range s.replicas {
		if s.replicas[i].ID == id {
			return &s.replicas[i], nil
		}
	}
	return nil, fmt.Errorf("no replica %s in the scenario", id)
}

// snapshot is what the dispatcher hands to Next: the declared pools plus
// any pool a replica names that was not declared (with an empty mask),
// and the declared replicas. A scenario that declares no replica is
// about the queue, not placement: its snapshot holds one Ready replica
// with room for every task.
func (s *sched) snapshot() scheduling.Snapshot {
	reps := slices.Clone(s.replicas)
	if len(reps) == 0 {
		r := defaultReplica("r1")
		r.SlotsTotal = 1 << 20
		reps = append(reps, r)
	}
	pools := slices.Clone(s.pools)
	for _, r := range reps {
		if !slices.ContainsFunc(pools, func(p scheduling.Pool) bool { return p.ID == r.PoolID }) {
			pools = append(pools, scheduling.Pool{ID: r.PoolID})
		}
	}
	return scheduling.Snapshot{Pools: pools, Replicas: reps}
}

// describe says what one call of Next did, for messages and replay lines.
func describe(d core.Dispatch) string {
	switch d.Outcome {
	case core.Placed:
		return fmt.Sprintf("%s placed as %s on replica %s (kv_warmth=%v)", d.TaskID, d.Job.ID, d.Job.Replica, d.Job.KVWarmth)
	case core.Unplaced:
		return fmt.Sprintf("%s not placed, reason %s, %d candidates, %d feasible, filtered %v",
			d.TaskID, d.Decision.Reason, total(d), d.Decision.CandidatesFeasible, filtered(d))
	case core.Refused:
		return fmt.Sprintf("%s refused: %v", d.TaskID, d.Err)
	case core.Preempted:
		return fmt.Sprintf("%s preempted for %s (reason %s)", d.Job.ID, d.Head, d.Reason)
	}
	return "nothing due (" + d.Outcome.String() + ")"
}

// total is the candidates of a decision, counting those left out by the
// replica-set check as the pool's events do.
func total(d core.Dispatch) int { return d.Decision.CandidatesTotal + d.Mismatched }

// filtered is the count per reason of a decision, with the replica-set
// check's count as the pool's events report it.
func filtered(d core.Dispatch) map[string]int {
	out := map[string]int{}
	for _, rc := range d.Decision.Counts() {
		out[rc.Reason] = rc.Count
	}
	if d.Mismatched > 0 {
		out[core.ReasonSetMismatch] = d.Mismatched
	}
	return out
}
