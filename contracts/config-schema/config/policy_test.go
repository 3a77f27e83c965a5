package config_test

import (
	"testing"

	"orchcore.dev/contracts/config-schema/config"
)

func TestDefaultClasses(t *testing.T) {
	want := []config.PriorityClass{
		{Name: "interactive", Rank: 3, Weight: 6, Capacity: 1024},
		{Name: "batch", Rank: 2, Weight: 3, Capacity: 1024},
		{Name: "background", Rank: 1, Weight: 1, Capacity: 1024},
	}
	cfg := &config.Config{}
	got := cfg.Classes()
	if len(got) != len(want) {
		t.Fatalf("Classes() = %v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("class %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	got[0].Weight = 99
	if cfg.Classes()[0].Weight != 6 {
		t.Error("Classes() shares its slice with the caller")
	}
}

func TestConfiguredClasses(t *testing.T) {
	cfg := &config.Config{PriorityClasses: []config.PriorityClass{{Name: "only", Rank: 0, Weight: 1, Capacity: 2}}}
	got := cfg.Classes()
	if len(got) != 1 || got[0].Name != "only" {
		t.Fatalf("Classes() = %v, want the configured class", got)
	}
	got[0].Name = "changed"
	if cfg.PriorityClasses[0].Name != "only" {
		t.Error("Classes() returned the config's own slice")
	}
}

func TestPolicyDefaults(t *testing.T) {
	var p config.Pool
	if p.AdmissionPolicy() != "reject" || p.FairnessPolicy() != "weighted" {
		t.Errorf("defaults = %q, %q; want reject, weighted", p.AdmissionPolicy(), p.FairnessPolicy())
	}
	p = config.Pool{Admission: "drop-lru", Fairness: "strict"}
	if p.AdmissionPolicy() != "drop-lru" || p.FairnessPolicy() != "strict" {
		t.Errorf("set = %q, %q; want drop-lru, strict", p.AdmissionPolicy(), p.FairnessPolicy())
	}
}

func TestQuotaLookup(t *testing.T) {
	cfg := &config.Config{Quotas: []config.Quota{{Tenant: "*", MaxQueued: 5}, {Tenant: "t1", MaxQueued: 9}}}
	if q, ok := cfg.Quota("t1"); !ok || q.MaxQueued != 9 {
		t.Errorf("Quota(t1) = %+v, %v; want its own entry", q, ok)
	}
	if q, ok := cfg.Quota("t2"); !ok || q.MaxQueued != 5 {
		t.Errorf("Quota(t2) = %+v, %v; want the * entry", q, ok)
	}
	if _, ok := (&config.Config{}).Quota("t1"); ok {
		t.Error("Quota found in a config without quotas")
	}
}
