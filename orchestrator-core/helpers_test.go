package core_test

import (
	"testing"

	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/queue"
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
