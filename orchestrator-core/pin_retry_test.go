package core_test

import (
	"testing"

	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/backoff"
	"orchcore.dev/orchestrator-core/scheduling"
)

// TestPinnedRetryWaitsForItsPool: a pinned task failed on its pool's only
// replica; when the retry is due the replica is restarting (not Ready).
// The retry used to end FAILED with POOL_UNREADY after 1 of 3 attempts,
// losing the cause; it waits like an unpinned retry, keeps its attempt
// count, and runs when the replica is back. A first dispatch to a pool
// with no Ready replica is still refused POOL_UNREADY.
func TestPinnedRetryWaitsForItsPool(t *testing.T) {
	t.Attr("req", "OC-CORE-1025")
	t.Attr("req", "OC-CORE-1019")
	p, _, clk := newPool(t, func(c *core.Config) {
		c.Placement = scheduling.Policy{AllowPin: true}
		c.Retry = backoff.Config{BaseMs: 10, CapMs: 10, MaxRetries: 2}
	})
	task := mtask("a")
	task.Pin = "p2"
	admit(t, p, task)
	up := rep("r2", 500, func(r *scheduling.Replica) { r.PoolID, r.Devices = "p2", []int{7} })
	down := up
	down.Ready = false
	if d, ok := p.Next(snapOf(up)); !ok || d.Job.Attempt != 1 {
		t.Fatalf("first dispatch: %v %+v", ok, d)
	}
	if err := p.Fail("a", "ENGINE_ERROR"); err != nil {
		t.Fatal(err)
	}
	clk.Advance(100) // the retry is due
	for range 3 {
		d, ok := p.Next(snapOf(down))
		if ok || d.Outcome != core.Unplaced || d.TaskID != "a" || d.Reason != "POOL_UNREADY" {
			t.Fatalf("retry with its pool restarting: %v %s %q %q, want unplaced POOL_UNREADY", ok, d.Outcome, d.TaskID, d.Reason)
		}
		state(t, p, "a", core.Retrying)
		clk.Advance(5)
	}
	d, ok := p.Next(snapOf(up))
	if !ok || d.Job.Attempt != 2 || d.Job.Replica != "r2" {
		t.Fatalf("retry after the restart: %v %+v", ok, d.Job)
	}

	// A first dispatch is still refused.
	b := mtask("b")
	b.Pin = "p2"
	admit(t, p, b)
	d, _ = p.Next(snapOf(down))
	if d.Outcome != core.Refused || core.CodeOf(d.Err) != core.PoolUnready {
		t.Fatalf("first dispatch to an unready pool: %s %v", d.Outcome, d.Err)
	}
	state(t, p, "b", core.Rejected)
}

// TestPinToOwnPool: a pin to the pool's own id is always known, even when
// the snapshot lists only other pools (unpinned tasks are placed there
// from the configured scope; a pin to the same pool used to be refused as
// an unknown pool).
func TestPinToOwnPool(t *testing.T) {
	t.Attr("req", "OC-CORE-1018")
	t.Attr("req", "OC-CORE-1019")
	p, _, _ := newPool(t, func(c *core.Config) { c.Placement = scheduling.Policy{AllowPin: true} })
	pinned, free := mtask("a"), mtask("b")
	pinned.Pin = "p1"
	admit(t, p, pinned, free)
	snap := scheduling.Snapshot{Pools: []scheduling.Pool{{ID: "p2"}}, Replicas: []scheduling.Replica{rep("r1", 500)}}
	for _, id := range []string{"a", "b"} {
		d, ok := p.Next(snap)
		if !ok || d.TaskID != id || d.Job.Replica != "r1" {
			t.Fatalf("task %s: placed %v, %s %q on %q, err %v", id, ok, d.Outcome, d.TaskID, d.Job.Replica, d.Err)
		}
	}
	// A pin to a pool neither listed nor own is still INVALID_PARAMS.
	c := mtask("c")
	c.Pin = "p9"
	admit(t, p, c)
	if d, _ := p.Next(snap); d.Outcome != core.Refused || core.CodeOf(d.Err) != core.InvalidParams {
		t.Fatalf("pin to an unknown pool: %s %v", d.Outcome, d.Err)
	}
}
