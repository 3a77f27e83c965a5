package core_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"orchcore.dev/contracts/config-schema/config"
	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/queue"
	"orchcore.dev/orchestrator-core/scheduling"
)

func TestFromConfig(t *testing.T) {
	t.Attr("req", "OC-CORE-1001")
	cfg := &config.Config{
		Version: 1,
		PriorityClasses: []config.PriorityClass{
			{Name: "low", Rank: 1, Weight: 1, Capacity: 3},
			{Name: "high", Rank: 5, Weight: 4, Capacity: 2},
		},
		Pools: []config.Pool{
			{ID: "a", ModelID: "m", Capacity: 4, Admission: "shed-low-priority", Fairness: "strict"},
			{ID: "b", ModelID: "m"},
		},
		Quotas: []config.Quota{{Tenant: "*", MaxQueued: 1}},
	}
	rec := &core.Recorder{}
	p, err := core.FromConfig(cfg, "a", core.WithObserver(rec), core.WithClock(&core.ManualClock{}))
	if err != nil {
		t.Fatal(err)
	}
	want := []queue.Class{{Name: "high", Rank: 5, Weight: 4, Capacity: 2}, {Name: "low", Rank: 1, Weight: 1, Capacity: 3}}
	if d := cmp.Diff(want, p.Classes()); d != "" {
		t.Fatalf("classes (-want +got):\n%s", d)
	}
	if p.ID() != "a" {
		t.Fatalf("ID %q", p.ID())
	}
	// The "*" quota applies: one queued task per tenant.
	if _, err := p.Admit(core.Task{ID: "1", Class: "low", Tenant: "x"}); err != nil {
		t.Fatal(err)
	}
	_, err = p.Admit(core.Task{ID: "2", Class: "low", Tenant: "x"})
	var e *core.Error
	if !errors.As(err, &e) || e.Code != core.QuotaExceeded || e.Quota != "max_queued" {
		t.Fatalf("quota from config not applied: %v", err)
	}
	if len(rec.Events()) != 2 {
		t.Fatalf("observer option not applied: %d events", len(rec.Events()))
	}

	// Pool b: defaults (classes, reject, weighted, no capacity).
	pb, err := core.FromConfig(&config.Config{Pools: cfg.Pools}, "b")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range pb.Classes() {
		names = append(names, c.Name)
	}
	if d := cmp.Diff([]string{"interactive", "batch", "background"}, names); d != "" {
		t.Fatalf("default classes (-want +got):\n%s", d)
	}

	bad := []struct {
		cfg  *config.Config
		pool string
		code core.Code
	}{
		{nil, "a", core.InvalidParams},
		{cfg, "zzz", core.NotFound},
		{&config.Config{Pools: []config.Pool{{ID: "a", Admission: "fifo"}}}, "a", core.InvalidParams},
		{&config.Config{Pools: []config.Pool{{ID: "a", Fairness: "lottery"}}}, "a", core.InvalidParams},
		{&config.Config{Pools: []config.Pool{{ID: "a", Capacity: -1}}}, "a", core.InvalidParams},
	}
	for _, b := range bad {
		if _, err := core.FromConfig(b.cfg, b.pool); core.CodeOf(err) != b.code {
			t.Errorf("FromConfig(%s): %v, want %s", b.pool, err, b.code)
		}
	}
}

// FromConfig maps the guardrails, session budget, watchdog, retry,
// placement, device masks and replica sets of a file into the pool.
func TestFromConfigPolicies(t *testing.T) {
	t.Attr("req", "OC-CORE-1031")
	t.Attr("req", "OC-CORE-1023")
	t.Attr("req", "OC-CORE-1011")
	cfg := &config.Config{
		Version: 1,
		Pools: []config.Pool{
			{ID: "p1", ModelID: llama},
			{ID: "p2", ModelID: llama, DeviceMask: []int{7}},
		},
		ReplicaSets: []config.ReplicaSet{{ID: "rs-a", Pool: "p1", Engine: "llamacpp", EngineVersion: "b4100",
			SamplerProfileVersion: "sp1", ModelDigest: "sha256:aa"}},
		SessionBudget: &config.SessionBudget{Tokens: 500},
		Guardrails:    config.Guardrails{MaxRequestTokens: 300},
		Watchdog:      config.Watchdog{WallTimeoutMs: 1000, IdleTimeoutMs: 100},
		Retry:         config.Retry{BaseMs: 10, CapMs: 10, MaxAttempts: 2, JitterSeed: 3},
		Placement:     config.Placement{AllowPin: true},
	}
	clk := &core.ManualClock{}
	rec := &core.Recorder{}
	p, err := core.FromConfig(cfg, "p1", core.WithClock(clk), core.WithObserver(rec))
	if err != nil {
		t.Fatal(err)
	}
	big := mtask("big")
	big.MaxNewTokens = 201 // 301 > max_request_tokens
	if _, err := p.Admit(big); core.CodeOf(err) != core.TokenBudgetExceeded {
		t.Fatalf("max_request_tokens not applied: %v", err)
	}
	s1, s2, s3 := mtask("s1"), mtask("s2"), mtask("s3")
	s1.SessionID, s2.SessionID, s3.SessionID = "s", "s", "s"
	admit(t, p, s1, s2) // 400 of 500 tokens
	if _, err := p.Admit(s3); core.CodeOf(err) != core.BudgetExceeded {
		t.Fatalf("session budget not applied: %v", err)
	}
	// The declared set pins its versions: a drifted rs-a replica is left out.
	drift := func(r *scheduling.Replica) { r.EngineVersion = "b4101" }
	if d, ok := p.Next(scheduling.Snapshot{Replicas: []scheduling.Replica{rep("r0", 900, drift)}}); ok || d.Mismatched != 1 {
		t.Fatalf("drifted replica: %+v", d)
	}
	// The pools' masks come from the file: p2 takes only device 7.
	pin := func(r *scheduling.Replica) { r.PoolID, r.ReplicaSet, r.Devices = "p2", "rs-p2", []int{6} }
	s4 := mtask("pinned")
	s4.Pin = "p2"
	p.Cancel("s1")
	p.Cancel("s2")
	admit(t, p, s4)
	d, _ := p.Next(scheduling.Snapshot{Replicas: []scheduling.Replica{rep("r2", 900, pin)}})
	if d.Outcome != core.Unplaced || d.Decision.Reason != scheduling.DeviceMaskMismatch {
		t.Fatalf("mask or pin not applied: %+v", d)
	}
	snap := scheduling.Snapshot{Replicas: []scheduling.Replica{rep("r2", 900, pin, func(r *scheduling.Replica) { r.Devices = []int{7} })}}
	if d, ok := p.Next(snap); !ok || d.Job.Replica != "r2" {
		t.Fatalf("pinned placement: %+v", d)
	}
	// max_attempts 2: one retry, then FAILED.
	p.Fail("pinned", "X")
	state(t, p, "pinned", core.Retrying)
	clk.Advance(10)
	if _, ok := p.Next(snap); !ok {
		t.Fatal("retry not dispatched")
	}
	p.Fail("pinned", "Y")
	state(t, p, "pinned", core.Failed)
	// watchdog idle timeout 100 ms.
	w := mtask("w")
	w.Pin = "p2"
	admit(t, p, w)
	p.Next(snap)
	clk.Advance(100)
	if got := p.Tick(); len(got) != 1 || got[0].Kind.String() != "IDLE" {
		t.Fatalf("watchdog from config: %v", got)
	}
	if err := core.CheckHistories(rec.Events()); err != nil {
		t.Fatal(err)
	}

	// A replica set the registry refuses is a configuration error.
	bad := *cfg
	bad.ReplicaSets = []config.ReplicaSet{{ID: "x", Pool: "p1", Engine: "e", EngineVersion: "", SamplerProfileVersion: "s", ModelDigest: "d"}}
	if _, err := core.FromConfig(&bad, "p1"); core.CodeOf(err) != core.InvalidParams {
		t.Fatalf("bad replica set: %v", err)
	}
}
