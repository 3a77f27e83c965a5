package core

import (
	"orchcore.dev/contracts/config-schema/config"
	"orchcore.dev/orchestrator-core/backoff"
	"orchcore.dev/orchestrator-core/determinism"
	"orchcore.dev/orchestrator-core/fairness"
	"orchcore.dev/orchestrator-core/guardrails"
	"orchcore.dev/orchestrator-core/queue"
	"orchcore.dev/orchestrator-core/scheduling"
	"orchcore.dev/orchestrator-core/watchdog"
)

// DefaultMaxAttempts is the retry.max_attempts used when the
// configuration leaves it 0: the first attempt and two retries.
const DefaultMaxAttempts = 3

// Option adjusts the Config that FromConfig builds.
type Option func(*Config)

// WithObserver sets the pool's Observer.
func WithObserver(o Observer) Option { return func(c *Config) { c.Observer = o } }

// WithClock sets the pool's Clock.
func WithClock(k Clock) Option { return func(c *Config) { c.Clock = k } }

// FromConfig builds the pool poolID of a loaded configuration: its classes
// (or the defaults), capacity, admission and fairness policies, the
// quotas, guardrails.max_request_tokens, session_budget, the watchdog
// timeouts, the retry policy (MaxRetries = max_attempts - 1, max_attempts
// 0 meaning DefaultMaxAttempts), placement.allow_pin, placement.saturation,
// placement.preemption (enabled needs max_per_window and window_ms of at
// least 1, else INVALID_PARAMS naming the field), the pools with
// their device masks (poolID's own is the scope of unpinned tasks, the
// others are pin targets only), and the replica sets declared in a
// registry.
// An unknown pool id is NOT_FOUND; invalid values, among them any number
// below its schema minimum, are INVALID_PARAMS.
func FromConfig(c *config.Config, poolID string, opts ...Option) (*Pool, error) {
	if c == nil {
		return nil, errorf(InvalidParams, "", "nil config")
	}
	var pc *config.Pool
	for i := range c.Pools {
		if c.Pools[i].ID == poolID {
			pc = &c.Pools[i]
			break
		}
	}
	if pc == nil {
		return nil, errorf(NotFound, "", "no pool %q in config", poolID)
	}
	if err := checkNumbers(c); err != nil {
		return nil, err
	}
	adm, err := queue.ParsePolicy(pc.AdmissionPolicy())
	if err != nil {
		return nil, fromQueue(err, "")
	}
	cfg := Config{
		ID: pc.ID, Capacity: pc.Capacity, CapacityTokens: pc.CapacityTokens, Admission: adm,
		Fairness: fairness.Kind(pc.FairnessPolicy()),
		Limits:   guardrails.Limits{MaxRequestTokens: int64(c.Guardrails.MaxRequestTokens)},
		Watchdog: watchdog.Limits{WallMs: c.Watchdog.WallTimeoutMs, IdleMs: c.Watchdog.IdleTimeoutMs},
		Placement: scheduling.Policy{AllowPin: c.Placement.AllowPin, Saturation: scheduling.Saturation{
			MaxQueueDepth: c.Placement.Saturation.MaxQueueDepth, MaxKVPermille: c.Placement.Saturation.MaxKVPermille,
			MaxSampleAgeMs: c.Placement.Saturation.MaxSampleAgeMs}},
		Preemption: Preemption{Enabled: c.Placement.Preemption.Enabled, MaxPerWindow: c.Placement.Preemption.MaxPerWindow,
			WindowMs: c.Placement.Preemption.WindowMs},
		Bounds:         Bounds{Sessions: c.Bounds.Sessions, Replicas: c.Bounds.Replicas, Sets: c.Bounds.ReplicaSets},
		EnginePriority: Polarity(pc.EnginePriority),
	}
	if pr := c.Placement.Prefix; pr != nil {
		cfg.Placement.Prefix = scheduling.PrefixPolicy{Enabled: true, MaxBlocks: pr.MaxBlocks,
			BlocksPerReplica: pr.BlocksPerReplica, PrefixWeight: int64(pr.PrefixWeight),
			LoadWeight: int64(pr.LoadWeight), GuardSlots: int64(pr.GuardSlots), GuardPermille: int64(pr.GuardPermille)}
	}
	for _, k := range c.Classes() {
		order, err := queue.ParseTenantOrder(k.TenantOrder)
		if err != nil {
			return nil, fromQueue(err, "")
		}
		cfg.Classes = append(cfg.Classes, queue.Class{Name: k.Name, Rank: k.Rank, Weight: k.Weight, Capacity: k.Capacity,
			CapacityTokens: k.CapacityTokens, TenantOrder: order, TTLMs: k.TTLMs})
	}
	for _, q := range c.Quotas {
		cfg.Quotas = append(cfg.Quotas, queue.Quota{Tenant: q.Tenant, MaxQueued: q.MaxQueued, MaxInFlight: q.MaxInFlight})
	}
	if b := c.SessionBudget; b != nil {
		cfg.Budget = &guardrails.Budget{Tokens: b.Tokens, WallMs: b.WallMs, CostMicros: b.CostMicros, CostPerTokenMicros: b.CostPerTokenMicros}
	}
	attempts := c.Retry.MaxAttempts
	if attempts == 0 {
		attempts = DefaultMaxAttempts
	}
	cfg.Retry = backoff.Config{BaseMs: c.Retry.BaseMs, CapMs: c.Retry.CapMs, MaxRetries: attempts - 1, Seed: c.Retry.JitterSeed}
	if cfg.Retry.CapMs == 0 {
		cfg.Retry.CapMs = cfg.Retry.BaseMs // unset cap: no growth beyond base
	}
	for _, p := range c.Pools {
		cfg.Pools = append(cfg.Pools, scheduling.Pool{ID: p.ID, DeviceMask: append([]int(nil), p.DeviceMask...)})
	}
	cfg.ReplicaSets = determinism.NewBoundedRegistry(cfg.Bounds.withDefaults().Sets)
	for _, rs := range c.ReplicaSets {
		v := determinism.Versions{Engine: rs.Engine, EngineVersion: rs.EngineVersion,
			SamplerProfileVersion: rs.SamplerProfileVersion, ModelDigest: rs.ModelDigest}
		if err := cfg.ReplicaSets.Declare(rs.ID, v); err != nil {
			return nil, errorf(InvalidParams, "", "replica set %q: %v", rs.ID, err)
		}
	}
	for _, o := range opts {
		o(&cfg)
	}
	return New(cfg)
}
