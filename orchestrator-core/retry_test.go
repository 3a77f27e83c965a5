package core_test

import (
	"slices"
	"testing"

	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/backoff"
	"orchcore.dev/orchestrator-core/observe"
	"orchcore.dev/orchestrator-core/queue"
)

// Failures are retried after capped delays until the attempts are spent;
// the last failure ends the task FAILED with its cause.
func TestFailRetriesThenFails(t *testing.T) {
	t.Attr("req", "OC-CORE-1025")
	const base, cap, retries = 100, 250, 3
	p, rec, clk := newPool(t, func(c *core.Config) {
		c.Retry = backoff.Config{BaseMs: base, CapMs: cap, MaxRetries: retries, Seed: 42}
	})
	admit(t, p, mtask("a"))
	snap := snapOf(rep("r1", 500))
	if _, ok := p.Next(snap); !ok {
		t.Fatal("not dispatched")
	}
	for n := 1; n <= retries; n++ {
		if err := p.Fail("a", "ENGINE_ERROR"); err != nil {
			t.Fatal(err)
		}
		state(t, p, "a", core.Retrying)
		ev := lastEvent(rec)
		ceiling := min(int64(cap), int64(base)<<(n-1))
		if ev.Kind != observe.Retried || ev.Attempt != n || ev.Reason != "ENGINE_ERROR" ||
			ev.DelayMs < ceiling/2 || ev.DelayMs > ceiling {
			t.Fatalf("retry %d: event %+v, want a delay in [%d, %d]", n, ev, ceiling/2, ceiling)
		}
		if ev.DelayMs > 0 {
			clk.Advance(ev.DelayMs - 1)
			if d, ok := p.Next(snap); ok || d.Outcome != core.Idle {
				t.Fatalf("retry %d dispatched before its delay: %+v", n, d)
			}
			clk.Advance(1)
		}
		d, ok := p.Next(snap)
		if !ok || d.Job.Attempt != n+1 || d.Job.ID != "a#"+string(rune('1'+n)) {
			t.Fatalf("retry %d: Next = %+v", n, d)
		}
	}
	if err := p.Fail("a", "OOM"); err != nil {
		t.Fatal(err)
	}
	state(t, p, "a", core.Failed)
	if ev := lastEvent(rec); ev.Kind != observe.Failed || ev.Reason != "OOM" || ev.Attempt != retries+1 {
		t.Fatalf("final event %+v", ev)
	}
	if err := core.CheckHistories(rec.Events()); err != nil {
		t.Fatal(err)
	}
	if st := p.Stats(); st.InFlight != 0 || st.Retrying != 0 {
		t.Fatalf("stats %+v", st)
	}
}

// The same seed gives the same delays; without a retry policy a failure
// is final; a waiting retry can be canceled and frees its quota then.
func TestFailRetryEdges(t *testing.T) {
	t.Attr("req", "OC-CORE-1025")
	delays := func(seed uint64) []int64 {
		p, rec, clk := newPool(t, func(c *core.Config) {
			c.Retry = backoff.Config{BaseMs: 1000, CapMs: 8000, MaxRetries: 4, Seed: seed}
		})
		admit(t, p, mtask("a"))
		snap := snapOf(rep("r1", 500))
		p.Next(snap)
		var out []int64
		for range 4 {
			p.Fail("a", "X")
			out = append(out, lastEvent(rec).DelayMs)
			clk.Advance(8000)
			p.Next(snap)
		}
		return out
	}
	a, b, c := delays(7), delays(7), delays(8)
	if !slices.Equal(a, b) {
		t.Fatalf("same seed, other delays: %v %v", a, b)
	}
	if slices.Equal(a, c) {
		t.Fatalf("seeds 7 and 8 gave the same four delays %v", a)
	}

	p, rec, _ := newPool(t, nil)
	admit(t, p, mtask("once"))
	p.Next(snapOf(rep("r1", 500)))
	p.Fail("once", "OOM")
	state(t, p, "once", core.Failed)
	if ev := lastEvent(rec); ev.Kind != observe.Failed || ev.Reason != "OOM" {
		t.Fatalf("no retry policy: %+v", ev)
	}

	q, qrec, _ := newPool(t, func(c *core.Config) {
		c.Retry = backoff.Config{BaseMs: 50, CapMs: 50, MaxRetries: 1}
		c.Quotas = []queue.Quota{{Tenant: "*", MaxInFlight: 1}}
	})
	admit(t, q, mtask("w"))
	q.Next(snapOf(rep("r1", 500)))
	q.Fail("w", "X")
	if _, f := q.Usage("acme"); f != 1 {
		t.Fatalf("a waiting retry must keep its in-flight slot, got %d", f)
	}
	if r, err := q.Cancel("w"); err != nil || r != core.CanceledQueued {
		t.Fatalf("cancel waiting retry: %v %v", r, err)
	}
	if _, f := q.Usage("acme"); f != 0 {
		t.Fatalf("in flight %d after cancel", f)
	}
	if err := core.CheckHistories(qrec.Events()); err != nil {
		t.Fatal(err)
	}
	if r, _ := q.Cancel("w"); r != core.AlreadyEnded {
		t.Fatalf("second cancel %v", r)
	}
}
