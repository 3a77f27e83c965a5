package core

import (
	"orchcore.dev/contracts/config-schema/config"
	"orchcore.dev/orchestrator-core/fairness"
	"orchcore.dev/orchestrator-core/queue"
)

// Option adjusts the Config that FromConfig builds.
type Option func(*Config)

// WithObserver sets the pool's Observer.
func WithObserver(o Observer) Option { return func(c *Config) { c.Observer = o } }

// WithClock sets the pool's Clock.
func WithClock(k Clock) Option { return func(c *Config) { c.Clock = k } }

// FromConfig builds the pool poolID of a loaded configuration: its classes
// (or the defaults), capacity, admission and fairness policies, and the
// configuration's quotas. An unknown pool id is NOT_FOUND; invalid values
// are INVALID_PARAMS.
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
	adm, err := queue.ParsePolicy(pc.AdmissionPolicy())
	if err != nil {
		return nil, fromQueue(err, "")
	}
	cfg := Config{
		ID: pc.ID, Capacity: pc.Capacity, Admission: adm,
		Fairness: fairness.Kind(pc.FairnessPolicy()),
	}
	for _, k := range c.Classes() {
		cfg.Classes = append(cfg.Classes, queue.Class{Name: k.Name, Rank: k.Rank, Weight: k.Weight, Capacity: k.Capacity})
	}
	for _, q := range c.Quotas {
		cfg.Quotas = append(cfg.Quotas, queue.Quota{Tenant: q.Tenant, MaxQueued: q.MaxQueued, MaxInFlight: q.MaxInFlight})
	}
	for _, o := range opts {
		o(&cfg)
	}
	return New(cfg)
}
