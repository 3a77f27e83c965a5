package sut

import (
	"orchcore.dev/contracts/config-schema/config"
	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/determinism"
	"orchcore.dev/orchestrator-core/scheduling"
)

// Placer makes placement decisions.
type Placer interface {
	Place(req *scheduling.Request, snap scheduling.Snapshot) (scheduling.Decision, error)
}

// System builds the parts of the core that the steps drive.
type System interface {
	// Name says which variant this is, for messages.
	Name() string
	// NewPlacer returns a placer with the given policy and affinity table
	// (aff may be nil).
	NewPlacer(pol scheduling.Policy, aff *scheduling.Affinity) Placer
	// NewPool returns a pool built from cfg.
	NewPool(cfg core.Config) (Pool, error)
	// FromConfig returns the pool of a loaded configuration document.
	FromConfig(c *config.Config, pool string, opts ...core.Option) (Pool, error)
	// Seed applies the seed policy to a dispatched task.
	Seed(client uint64, given bool, pool, task string) determinism.Seed
}

// Real is the orchestrator core, unmodified.
type Real struct{}

// Name returns "real".
func (Real) Name() string { return "real" }

// NewPlacer returns the core's scheduling.Placer.
func (Real) NewPlacer(pol scheduling.Policy, aff *scheduling.Affinity) Placer {
	return &scheduling.Placer{Policy: pol, Affinity: aff}
}

// Seed returns determinism.SeedFor.
func (Real) Seed(client uint64, given bool, pool, task string) determinism.Seed {
	return determinism.SeedFor(client, given, pool, task)
}
