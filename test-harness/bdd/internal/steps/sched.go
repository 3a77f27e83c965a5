package steps

import (
	"fmt"
	"slices"
	"strconv"

	"orchcore.dev/orchestrator-core/scheduling"
)

// sched is the placement part of a scenario: the pools and replicas as
// the scheduler last observed them, and the last decision.
type sched struct {
	pools    []scheduling.Pool
	replicas []scheduling.Replica
	policy   scheduling.Policy
	aff      scheduling.Affinity

	dec scheduling.Decision
	err error
	// placed is the number of placements so far; Then steps on a decision
	// fail when nothing was placed yet.
	placed int
	// many holds the replica of each placement of a repeated placement.
	many []string
}

func (s *sched) init() {
	s.policy = scheduling.Policy{AllowPin: true}
}

// replica defaults: a Ready llama.cpp replica of llama-8b in pool p1 and
// replica set rs1, with free slots and a long context.
func defaultReplica(id string) scheduling.Replica {
	return scheduling.Replica{
		ID: id, PoolID: "p1", ReplicaSet: "rs1",
		Engine: "llamacpp", EngineVersion: "b1", SamplerProfileVersion: "sp1",
		ModelID: "llama-8b", ModelDigest: "sha-a", Quant: "Q4",
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
		r.ReplicaSet = v
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
	case "model":
		r.ModelID = v
	case "extensions":
		r.Features = append(list(v), scheduling.FeatureStreaming)
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

// snapshot lists the declared pools plus any pool a replica names that
// was not declared (with an empty mask).
func (s *sched) snapshot() scheduling.Snapshot {
	pools := slices.Clone(s.pools)
	for _, r := range s.replicas {
		if !slices.ContainsFunc(pools, func(p scheduling.Pool) bool { return p.ID == r.PoolID }) {
			pools = append(pools, scheduling.Pool{ID: r.PoolID})
		}
	}
	return scheduling.Snapshot{Pools: pools, Replicas: slices.Clone(s.replicas)}
}

// defaultRequest is a job for the default replica's model.
func defaultRequest() scheduling.Request {
	return scheduling.Request{ModelID: "llama-8b"}
}
