package core_test

import (
	"hash/fnv"
	"testing"

	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/queue"
	"orchcore.dev/orchestrator-core/scheduling"
)

// classes are the catalog defaults with small capacities.
func classes(capacity int) []queue.Class {
	return []queue.Class{
		{Name: "interactive", Rank: 3, Weight: 6, Capacity: capacity},
		{Name: "batch", Rank: 2, Weight: 3, Capacity: capacity},
		{Name: "background", Rank: 1, Weight: 1, Capacity: capacity},
	}
}

// newPool builds a pool with a Recorder and a ManualClock; mod adjusts the
// config first.
func newPool(t testing.TB, mod func(*core.Config)) (*core.Pool, *core.Recorder, *core.ManualClock) {
	t.Helper()
	rec, clk := &core.Recorder{}, &core.ManualClock{}
	cfg := core.Config{ID: "p1", Classes: classes(2), Capacity: 6, Observer: rec, Clock: clk}
	if mod != nil {
		mod(&cfg)
	}
	p, err := core.New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return p, rec, clk
}

// wide is a snapshot whose one replica takes any task without model
// requirements, so the tests of admission and fairness dispatch freely.
var wide = scheduling.Snapshot{
	Pools: []scheduling.Pool{{ID: "p1"}},
	Replicas: []scheduling.Replica{{
		ID: "r0", PoolID: "p1", Ready: true, SlotsTotal: 1 << 30,
		Engine: "llamacpp", EngineVersion: "b1", SamplerProfileVersion: "s1", ModelDigest: "d1",
	}},
}

// next dispatches onto wide.
func next(p *core.Pool) (core.Job, bool) {
	d, ok := p.Next(wide)
	return d.Job, ok
}

// fnv64a is FNV-1a 64 of s, computed with the standard library: the
// documented default seed rule is fnv64a(pool + "\x00" + task).
func fnv64a(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}
