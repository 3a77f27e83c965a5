package sut

import (
	"orchcore.dev/contracts/config-schema/config"
	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/queue"
)

// Pool is the part of core.Pool the steps drive.
type Pool interface {
	Admit(core.Task) (core.Admission, error)
	Next() (core.Job, bool)
	Cancel(id string) (core.CancelResult, error)
	Complete(id string) error
	Fail(id, cause string) error
	TimeOut(id, reason string) error
	State(id string) (core.State, bool)
	Queue(class string) []string
	Stats() core.Stats
	Classes() []queue.Class
}

var _ Pool = (*core.Pool)(nil)

// NewPool returns core.New(cfg).
func (Real) NewPool(cfg core.Config) (Pool, error) { return core.New(cfg) }

// FromConfig returns core.FromConfig(c, pool, opts...).
func (Real) FromConfig(c *config.Config, pool string, opts ...core.Option) (Pool, error) {
	return core.FromConfig(c, pool, opts...)
}
