package core_test

import (
	"fmt"
	"testing"

	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/backoff"
	"orchcore.dev/orchestrator-core/guardrails"
	"orchcore.dev/orchestrator-core/scheduling"
)

// TestTablesBounded: 3000 tasks with distinct sessions and tenants, on
// replicas that come and go (a new replica id and a new engine version,
// so a new replica set, every 10 tasks). With bounds of 40 sessions, 6
// replicas and 5 idle sets, no table grows past its bound (plus, for
// sets, those a remembered replica is a member of), and an evicted idle
// session starts fresh.
func TestTablesBounded(t *testing.T) {
	t.Attr("req", "OC-CORE-1054")
	p, _, clk := newPool(t, func(c *core.Config) {
		c.Budget = &guardrails.Budget{Tokens: 1000}
		c.Bounds = core.Bounds{Sessions: 40, Replicas: 6, Sets: 5}
		c.Classes, c.Capacity = classes(100), 0
	})
	for i := range 3000 {
		tk := mtask(fmt.Sprint("t", i))
		tk.SessionID, tk.Tenant = fmt.Sprint("s", i), fmt.Sprint("ten", i)
		admit(t, p, tk)
		gen := i / 10
		r := rep(fmt.Sprint("r", gen), 500, func(r *scheduling.Replica) {
			r.ReplicaSet, r.EngineVersion = "", fmt.Sprint("b", gen)
		})
		d, ok := p.Next(snapOf(r))
		if !ok {
			t.Fatalf("task %d not placed: %+v", i, d)
		}
		if err := p.Token(tk.ID, 50); err != nil {
			t.Fatal(err)
		}
		clk.Advance(1)
		if err := p.Complete(tk.ID); err != nil {
			t.Fatal(err)
		}
		tb := p.Stats().Tables
		// Sets: at most 5 idle ones plus those the 6 remembered replicas
		// are members of.
		if tb.Sessions > 40 || tb.Affinity > 40 || tb.Replicas > 6 || tb.Sets > 5+6 {
			t.Fatalf("after %d tasks: %+v, bounds 40/40/6/5+6", i+1, tb)
		}
	}
	// s0 settled first and was forgotten: it has its whole budget again,
	// while the most recent session is still charged its 150 tokens.
	a, err := p.Admit(core.Task{ID: "again", Class: "batch", SessionID: "s0", PromptTokens: 1})
	if err != nil || a.Remaining.Tokens != 999 {
		t.Fatalf("forgotten session: %+v %v, want 999 tokens left", a.Remaining, err)
	}
	b, err := p.Admit(core.Task{ID: "recent", Class: "batch", SessionID: "s2999", PromptTokens: 1})
	if err != nil || b.Remaining.Tokens != 1000-150-1 {
		t.Fatalf("recent session: %+v %v, want %d tokens left", b.Remaining, err, 1000-150-1)
	}
}

// TestHeldSetSurvivesChurn: a task that failed on set rs-x waits for its
// retry while a hundred other sets come and go, far past the idle-set
// bound. rs-x stays pinned (held), so a replica claiming rs-x with other
// versions is refused and the retry runs only on rs-x's own versions.
func TestHeldSetSurvivesChurn(t *testing.T) {
	t.Attr("req", "OC-CORE-1054")
	t.Attr("req", "OC-CORE-1031")
	p, _, clk := newPool(t, func(c *core.Config) {
		c.Bounds = core.Bounds{Replicas: 4, Sets: 2}
		c.Retry = backoff.Config{BaseMs: 1000, CapMs: 1000, MaxRetries: 1}
	})
	x := rep("rx", 500, func(r *scheduling.Replica) { r.ReplicaSet = "rs-x" })
	admit(t, p, mtask("a"))
	if _, ok := p.Next(snapOf(x)); !ok {
		t.Fatal("not placed")
	}
	if err := p.Fail("a", "ENGINE_ERROR"); err != nil {
		t.Fatal(err)
	}
	for i := range 100 { // churn: other tasks on other replicas and sets, rx not seen
		r := rep(fmt.Sprint("o", i), 500, func(r *scheduling.Replica) { r.ReplicaSet = fmt.Sprint("rs-o", i) })
		id := fmt.Sprint("o", i)
		admit(t, p, mtask(id))
		if _, ok := p.Next(snapOf(r)); !ok {
			t.Fatalf("churn task %s not placed", id)
		}
		if err := p.Complete(id); err != nil {
			t.Fatal(err)
		}
	}
	if tb := p.Stats().Tables; tb.Replicas > 4 || tb.Sets > 2+4+1 {
		t.Fatalf("after the churn: %+v, want at most 4 replicas and 2 idle + 4 member + 1 held sets", tb)
	}
	clk.Advance(2000) // the retry is due
	impostor := rep("ry", 900, func(r *scheduling.Replica) { r.ReplicaSet, r.EngineVersion = "rs-x", "b9999" })
	if d, ok := p.Next(snapOf(impostor)); ok {
		t.Fatalf("the retry ran on %s with engine %s: its set was forgotten while held", d.Job.Replica, d.Job.EngineVersion)
	}
	if d, ok := p.Next(snapOf(x)); !ok || d.Job.Attempt != 2 || d.Job.Replica != "rx" {
		t.Fatalf("retry on its own set: placed %v %+v", ok, d.Job)
	}
}
