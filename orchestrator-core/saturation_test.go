package core_test

import (
	"testing"

	"orchcore.dev/contracts/config-schema/config"
	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/scheduling"
)

// TestSaturatedHeadWaits: thresholds from a configuration reach the pool;
// with its only replica saturated the head waits (unplaced, SATURATED,
// still queued) and runs once a fresh sample shows room.
func TestSaturatedHeadWaits(t *testing.T) {
	t.Attr("req", "OC-CORE-1056")
	c := &config.Config{Version: 1, Pools: []config.Pool{{ID: "p1", ModelID: llama}},
		Placement: config.Placement{Saturation: config.Saturation{MaxQueueDepth: 2, MaxKVPermille: 900, MaxSampleAgeMs: 500}}}
	p, err := core.FromConfig(c, "p1")
	if err != nil {
		t.Fatal(err)
	}
	tk := mtask("a")
	tk.Class = "interactive"
	admit(t, p, tk)
	busy := rep("r1", 500, func(r *scheduling.Replica) { r.PoolID, r.Sampled, r.QueueDepth, r.SampleAgeMs = "p1", true, 3, 10 })
	d, ok := p.Next(snapOf(busy))
	if ok || d.Outcome != core.Unplaced || d.Reason != "SATURATED" || d.Decision.Filtered[scheduling.Saturated] != 1 {
		t.Fatalf("saturated replica: placed %v, %s %q %v", ok, d.Outcome, d.Reason, d.Decision.Filtered)
	}
	state(t, p, "a", core.Queued)
	stale := busy
	stale.QueueDepth, stale.SampleAgeMs = 0, 501
	if _, ok := p.Next(snapOf(stale)); ok {
		t.Fatal("placed on a replica whose sample is 501 ms old (maximum 500)")
	}
	fresh := busy
	fresh.QueueDepth, fresh.KVPermille, fresh.SampleAgeMs = 2, 900, 500 // at the thresholds: not above
	if d, ok := p.Next(snapOf(fresh)); !ok || d.Job.Replica != "r1" {
		t.Fatalf("a replica at (not above) its thresholds: placed %v", ok)
	}
}
