package core_test

import (
	"errors"
	"strings"
	"testing"

	"orchcore.dev/contracts/config-schema/config"
	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/observe"
	"orchcore.dev/orchestrator-core/scheduling"
)

// prefixPool is pool p1 with prefix placement from a configuration:
// blocks of 4 tokens, two blocks remembered per replica, weights 10 per
// block and 1 per active slot, guard 1 slot and 1500 per mille.
func prefixPool(t *testing.T) (*core.Pool, *core.Recorder) {
	t.Helper()
	c := &config.Config{Version: 1, Pools: []config.Pool{{ID: "p1", ModelID: llama}},
		Placement: config.Placement{Prefix: &config.Prefix{BlockTokens: 4, BlocksPerReplica: 2,
			PrefixWeight: 10, LoadWeight: 1, GuardSlots: 1, GuardPermille: 1500}}}
	rec := &core.Recorder{}
	p, err := core.FromConfig(c, "p1", core.WithObserver(rec))
	if err != nil {
		t.Fatal(err)
	}
	return p, rec
}

func ptask(id string, blocks ...uint64) core.Task {
	tk := mtask(id)
	tk.SessionID = "" // no affinity: placement by prefix score alone
	tk.Blocks = blocks
	return tk
}

// TestPrefixPlacementThroughThePool: the pool learns what it places and
// the next task with the same prefix follows it while the guard allows;
// the job and its event carry the matched blocks and kv_warmth.
func TestPrefixPlacementThroughThePool(t *testing.T) {
	t.Attr("req", "OC-CORE-1055")
	p, rec := prefixPool(t)
	r1 := rep("r1", 1000)
	r2 := rep("r2", 2000) // more free VRAM: the total order's first
	admit(t, p, ptask("a", 7, 8, 9))
	d, ok := p.Next(snapOf(r1, r2))
	if !ok || d.Job.Replica != "r2" || d.Job.MatchedBlocks != 0 || d.Job.KVWarmth {
		t.Fatalf("first task: %+v", d.Job)
	}
	// r2 now runs a: one active slot. A task sharing blocks 7, 8 scores
	// 10*2-1 = 19 on r2 against 0 on r1; the guard (1 > 1 slot?) stays.
	r2.ActiveSlots = 1
	admit(t, p, ptask("b", 7, 8, 5))
	d, ok = p.Next(snapOf(r1, r2))
	if !ok || d.Job.Replica != "r2" || d.Job.MatchedBlocks != 2 || !d.Job.KVWarmth || d.Job.Guarded {
		t.Fatalf("shared prefix: %+v", d.Job)
	}
	ev := rec.Events()[len(rec.Events())-1]
	if ev.Kind != observe.Dispatched || ev.MatchedBlocks != 2 || !ev.KVWarmth || ev.Guarded {
		t.Fatalf("dispatched event: %+v", ev)
	}
	// r2 busier by 2 slots (2 > 1 and 2000 > 0*1500): the guard places
	// the third on the least-loaded r1, which holds nothing.
	r2.ActiveSlots = 2
	admit(t, p, ptask("c", 7, 8))
	d, ok = p.Next(snapOf(r1, r2))
	if !ok || d.Job.Replica != "r1" || !d.Job.Guarded || d.Job.MatchedBlocks != 0 || d.Job.KVWarmth {
		t.Fatalf("guard: %+v", d.Job)
	}
	// The bound is two blocks per replica: r2 learned 7, 8, 9 from a
	// (keeping 7, 8), then 7, 8, 5 from b (keeping 7, 8). An engine
	// report replaces all of it.
	r2.CacheReported, r2.Cached = true, []uint64{5}
	r2.ActiveSlots = 0
	admit(t, p, ptask("d", 7, 8))
	d, ok = p.Next(snapOf(r1, r2))
	if !ok || d.Job.Replica != "r1" || d.Job.MatchedBlocks != 2 {
		t.Fatalf("after r2 reported only block 5, r1 (learned 7, 8 from c) should win: %+v", d.Job)
	}
	// r1 holds 7, 8 (bound 2), r2 the reported 5.
	if tb := p.Stats().Tables; tb.PrefixReplicas != 2 || tb.PrefixBlocks != 3 {
		t.Fatalf("prefix tables: %d replicas, %d blocks; want 2 and 3", tb.PrefixReplicas, tb.PrefixBlocks)
	}
}

// TestPrefixAffinityFirst: a session's last good replica is kept while it
// is feasible, even where another replica holds a longer prefix; the job
// still reports what the kept replica matches.
func TestPrefixAffinityFirst(t *testing.T) {
	t.Attr("req", "OC-CORE-1055")
	t.Attr("req", "OC-CORE-1013")
	p, _ := prefixPool(t)
	r1, r2 := rep("r1", 1000), rep("r2", 2000)
	a := ptask("a", 1, 2)
	a.SessionID = "s"
	admit(t, p, a)
	if d, ok := p.Next(snapOf(r1, r2)); !ok || d.Job.Replica != "r2" {
		t.Fatalf("first: %+v", d.Job)
	}
	if err := p.Complete("a"); err != nil {
		t.Fatal(err)
	}
	r1.CacheReported, r1.Cached = true, []uint64{3, 4}
	b := ptask("b", 3, 4)
	b.SessionID = "s"
	admit(t, p, b)
	d, ok := p.Next(snapOf(r1, r2))
	if !ok || d.Job.Replica != "r2" || !d.Job.KVWarmth || d.Job.MatchedBlocks != 0 || d.Job.Fallback {
		t.Fatalf("session kept on r2: %+v", d.Job)
	}
}

// TestPrefixBadInput: block lists that cannot be a chain are refused at
// admission with INVALID_PARAMS naming what is wrong; no event, nothing
// queued. A bad prefix configuration is refused by FromConfig.
func TestPrefixBadInput(t *testing.T) {
	t.Attr("req", "OC-CORE-1055")
	p, rec := prefixPool(t)
	long := make([]uint64, scheduling.DefaultMaxBlocks+1)
	for i := range long {
		long[i] = uint64(i + 1)
	}
	for _, c := range []struct {
		blocks []uint64
		want   string
	}{
		{long, "more blocks than prefix.max_blocks"},
		{[]uint64{4, 0}, "a zero block hash"},
		{[]uint64{4, 5, 4}, "a repeated block hash"},
	} {
		_, err := p.Admit(ptask("x", c.blocks...))
		var e *core.Error
		if !errors.As(err, &e) || e.Code != core.InvalidParams || !strings.Contains(e.Error(), c.want) {
			t.Errorf("blocks %d long: %v, want INVALID_PARAMS %q", len(c.blocks), err, c.want)
		}
	}
	if n := len(rec.Events()); n != 0 {
		t.Fatalf("%d events for refused tasks", n)
	}
	if _, err := p.Admit(ptask("ok")); err != nil {
		t.Fatalf("an empty list is no prefix: %v", err)
	}
	for _, pr := range []config.Prefix{
		{BlockTokens: 0},
		{BlockTokens: 4, GuardPermille: 999},
		{BlockTokens: 4, LoadWeight: -1},
		{BlockTokens: 4, BlocksPerReplica: -5},
	} {
		c := &config.Config{Version: 1, Pools: []config.Pool{{ID: "p1", ModelID: llama}},
			Placement: config.Placement{Prefix: &pr}}
		if _, err := core.FromConfig(c, "p1"); err == nil {
			t.Errorf("prefix %+v accepted", pr)
		}
	}
}
