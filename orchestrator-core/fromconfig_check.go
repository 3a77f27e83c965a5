package core

import (
	"fmt"
	"strings"

	"orchcore.dev/contracts/config-schema/config"
)

// checkNumbers refuses every numeric field below its schema minimum, so a
// config built in code cannot reach the core with a value the loader
// would refuse: a negative count never wraps into "unlimited" (for
// example max_attempts = MinInt, whose max_attempts - 1 overflows).
// Upper bounds are the consumers' own (weights in fairness, capacities
// in queue).
func checkNumbers(c *config.Config) error {
	var bad []string
	neg := func(path string, v int64) {
		if v < 0 {
			bad = append(bad, fmt.Sprintf("%s = %d < 0", path, v))
		}
	}
	for i, k := range c.PriorityClasses {
		neg(fmt.Sprintf("priority_classes[%d].rank", i), int64(k.Rank))
		if k.Weight < 1 {
			bad = append(bad, fmt.Sprintf("priority_classes[%d].weight = %d < 1", i, k.Weight))
		}
		if k.Capacity < 1 {
			bad = append(bad, fmt.Sprintf("priority_classes[%d].capacity = %d < 1", i, k.Capacity))
		}
		neg(fmt.Sprintf("priority_classes[%d].ttl_ms", i), k.TTLMs) // 0: absent, no TTL
		neg(fmt.Sprintf("priority_classes[%d].capacity_tokens", i), k.CapacityTokens)
	}
	for i, p := range c.Pools {
		neg(fmt.Sprintf("pools[%d].capacity", i), int64(p.Capacity))
		neg(fmt.Sprintf("pools[%d].capacity_tokens", i), p.CapacityTokens)
		for j, d := range p.DeviceMask {
			neg(fmt.Sprintf("pools[%d].device_mask[%d]", i, j), int64(d))
		}
	}
	for i, q := range c.Quotas {
		neg(fmt.Sprintf("quotas[%d].max_queued", i), int64(q.MaxQueued))
		neg(fmt.Sprintf("quotas[%d].max_in_flight", i), int64(q.MaxInFlight))
	}
	if b := c.SessionBudget; b != nil {
		neg("session_budget.tokens", b.Tokens)
		neg("session_budget.wall_ms", b.WallMs)
		neg("session_budget.cost_micros", b.CostMicros)
		neg("session_budget.cost_per_token_micros", b.CostPerTokenMicros)
	}
	neg("guardrails.max_request_tokens", int64(c.Guardrails.MaxRequestTokens))
	neg("bounds.sessions", int64(c.Bounds.Sessions))
	neg("placement.saturation.max_queue_depth", int64(c.Placement.Saturation.MaxQueueDepth))
	neg("placement.saturation.max_kv_permille", int64(c.Placement.Saturation.MaxKVPermille))
	neg("placement.saturation.max_sample_age_ms", c.Placement.Saturation.MaxSampleAgeMs)
	if pr := c.Placement.Prefix; pr != nil {
		if pr.BlockTokens < 1 {
			bad = append(bad, fmt.Sprintf("placement.prefix.block_tokens = %d < 1", pr.BlockTokens))
		}
		neg("placement.prefix.max_blocks", int64(pr.MaxBlocks))
		neg("placement.prefix.blocks_per_replica", int64(pr.BlocksPerReplica))
		neg("placement.prefix.prefix_weight", int64(pr.PrefixWeight))
		neg("placement.prefix.load_weight", int64(pr.LoadWeight))
		neg("placement.prefix.guard_slots", int64(pr.GuardSlots))
		neg("placement.prefix.guard_permille", int64(pr.GuardPermille))
	}
	neg("placement.preemption.max_per_window", int64(c.Placement.Preemption.MaxPerWindow))
	neg("placement.preemption.window_ms", c.Placement.Preemption.WindowMs)
	if pr := c.Placement.Preemption; pr.Enabled {
		if pr.MaxPerWindow == 0 {
			bad = append(bad, "placement.preemption.max_per_window = 0 < 1 with preemption enabled")
		}
		if pr.WindowMs == 0 {
			bad = append(bad, "placement.preemption.window_ms = 0 < 1 with preemption enabled")
		}
	}
	neg("bounds.replicas", int64(c.Bounds.Replicas))
	neg("bounds.replica_sets", int64(c.Bounds.ReplicaSets))
	neg("watchdog.wall_timeout_ms", c.Watchdog.WallTimeoutMs)
	neg("watchdog.idle_timeout_ms", c.Watchdog.IdleTimeoutMs)
	neg("retry.base_ms", c.Retry.BaseMs)
	neg("retry.cap_ms", c.Retry.CapMs)
	neg("retry.max_attempts", int64(c.Retry.MaxAttempts))
	if len(bad) > 0 {
		return errorf(InvalidParams, "", "config: %s", strings.Join(bad, "; "))
	}
	return nil
}
