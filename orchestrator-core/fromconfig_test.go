package core_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"orchcore.dev/contracts/config-schema/config"
	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/queue"
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
