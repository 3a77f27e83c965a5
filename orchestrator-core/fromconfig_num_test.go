package core_test

import (
	"math"
	"testing"

	"orchcore.dev/contracts/config-schema/config"
	core "orchcore.dev/orchestrator-core"
)

// numericBase is a valid config; each case of TestFromConfigNumbers bends
// one numeric field of it.
func numericBase() *config.Config {
	return &config.Config{
		Version:         1,
		PriorityClasses: []config.PriorityClass{{Name: "c", Rank: 1, Weight: 1, Capacity: 4}},
		Pools:           []config.Pool{{ID: "a", ModelID: "m", Capacity: 8, DeviceMask: []int{0, 1}}},
		Quotas:          []config.Quota{{Tenant: "*", MaxQueued: 2, MaxInFlight: 1}},
		SessionBudget:   &config.SessionBudget{Tokens: 100, WallMs: 100, CostMicros: 100, CostPerTokenMicros: 1},
		Guardrails:      config.Guardrails{MaxRequestTokens: 100},
		Watchdog:        config.Watchdog{WallTimeoutMs: 100, IdleTimeoutMs: 100},
		Retry:           config.Retry{BaseMs: 10, CapMs: 100, MaxAttempts: 3},
	}
}

// TestFromConfigNumbers: every numeric field FromConfig takes from a
// config built in code is checked: below its schema minimum (-1 and the
// most negative value) it is INVALID_PARAMS, never a wrapped-around
// meaning such as unlimited retries from max_attempts = MinInt.
func TestFromConfigNumbers(t *testing.T) {
	t.Attr("req", "OC-CORE-1025")
	t.Attr("req", "OC-CORE-1001")
	fields := map[string]func(c *config.Config, v int64){
		"priority_classes[0].rank":     func(c *config.Config, v int64) { c.PriorityClasses[0].Rank = int(v) },
		"priority_classes[0].weight":   func(c *config.Config, v int64) { c.PriorityClasses[0].Weight = int(v) },
		"priority_classes[0].capacity": func(c *config.Config, v int64) { c.PriorityClasses[0].Capacity = int(v) },
		"priority_classes[0].ttl_ms":   func(c *config.Config, v int64) { c.PriorityClasses[0].TTLMs = v },
		"pools[0].capacity":            func(c *config.Config, v int64) { c.Pools[0].Capacity = int(v) },
		"pools[0].capacity_tokens":     func(c *config.Config, v int64) { c.Pools[0].CapacityTokens = v },
		"priority_classes[0].capacity_tokens": func(c *config.Config, v int64) {
			c.PriorityClasses[0].CapacityTokens = v
		},
		"pools[0].device_mask[1]":    func(c *config.Config, v int64) { c.Pools[0].DeviceMask[1] = int(v) },
		"quotas[0].max_queued":       func(c *config.Config, v int64) { c.Quotas[0].MaxQueued = int(v) },
		"quotas[0].max_in_flight":    func(c *config.Config, v int64) { c.Quotas[0].MaxInFlight = int(v) },
		"session_budget.tokens":      func(c *config.Config, v int64) { c.SessionBudget.Tokens = v },
		"session_budget.wall_ms":     func(c *config.Config, v int64) { c.SessionBudget.WallMs = v },
		"session_budget.cost_micros": func(c *config.Config, v int64) { c.SessionBudget.CostMicros = v },
		"session_budget.cost_per_token_micros": func(c *config.Config, v int64) {
			c.SessionBudget.CostPerTokenMicros = v
		},
		"guardrails.max_request_tokens": func(c *config.Config, v int64) { c.Guardrails.MaxRequestTokens = int(v) },
		"watchdog.wall_timeout_ms":      func(c *config.Config, v int64) { c.Watchdog.WallTimeoutMs = v },
		"watchdog.idle_timeout_ms":      func(c *config.Config, v int64) { c.Watchdog.IdleTimeoutMs = v },
		"retry.base_ms":                 func(c *config.Config, v int64) { c.Retry.BaseMs = v },
		"retry.cap_ms":                  func(c *config.Config, v int64) { c.Retry.CapMs = v },
		"retry.max_attempts":            func(c *config.Config, v int64) { c.Retry.MaxAttempts = int(v) },
		"bounds.sessions":               func(c *config.Config, v int64) { c.Bounds.Sessions = int(v) },
		"placement.saturation.max_queue_depth": func(c *config.Config, v int64) {
			c.Placement.Saturation.MaxQueueDepth = int(v)
		},
		"placement.saturation.max_kv_permille": func(c *config.Config, v int64) {
			c.Placement.Saturation.MaxKVPermille = int(v)
		},
		"placement.saturation.max_sample_age_ms": func(c *config.Config, v int64) {
			c.Placement.Saturation.MaxSampleAgeMs = v
		},
		"bounds.replicas":     func(c *config.Config, v int64) { c.Bounds.Replicas = int(v) },
		"bounds.replica_sets": func(c *config.Config, v int64) { c.Bounds.ReplicaSets = int(v) },
	}
	if _, err := core.FromConfig(numericBase(), "a"); err != nil {
		t.Fatalf("the base config is refused: %v", err)
	}
	for name, set := range fields {
		for _, v := range []int64{-1, math.MinInt64} {
			c := numericBase()
			set(c, v)
			_, err := core.FromConfig(c, "a")
			if core.CodeOf(err) != core.InvalidParams {
				t.Errorf("%s = %d: FromConfig gave %v, want INVALID_PARAMS", name, v, err)
			}
		}
		// The largest value is refused with a typed error or accepted;
		// it never panics or wraps.
		c := numericBase()
		set(c, math.MaxInt64)
		if _, err := core.FromConfig(c, "a"); err != nil && core.CodeOf(err) != core.InvalidParams {
			t.Errorf("%s = MaxInt64: %v, want success or INVALID_PARAMS", name, err)
		}
	}
	// max_attempts = MinInt used to become MaxRetries = MaxInt: unlimited.
	c := numericBase()
	c.Retry.MaxAttempts = math.MinInt
	if _, err := core.FromConfig(c, "a"); err == nil {
		t.Fatal("max_attempts = MinInt accepted")
	}
}
