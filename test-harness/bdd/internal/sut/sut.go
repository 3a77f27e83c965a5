package sut

import (
	"orchcore.dev/contracts/config-schema/config"
	core "orchcore.dev/orchestrator-core"
)

// System builds the pools that the steps drive.
type System interface {
	// Name says which variant this is, for messages.
	Name() string
	// NewPool returns a pool built from cfg.
	NewPool(cfg core.Config) (Pool, error)
	// FromConfig returns the pool of a loaded configuration document.
	FromConfig(c *config.Config, pool string, opts ...core.Option) (Pool, error)
}

// Real is the orchestrator core, unmodified.
type Real struct{}

// Name returns "real".
func (Real) Name() string { return "real" }

// NewPool returns core.New(cfg).
func (Real) NewPool(cfg core.Config) (Pool, error) { return core.New(cfg) }

// FromConfig returns core.FromConfig(c, pool, opts...).
func (Real) FromConfig(c *config.Config, pool string, opts ...core.Option) (Pool, error) {
	return core.FromConfig(c, pool, opts...)
}
