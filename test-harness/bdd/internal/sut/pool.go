package sut

import core "orchcore.dev/orchestrator-core"

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
}

var _ Pool = (*core.Pool)(nil)

// NewPool returns core.New(cfg).
func (Real) NewPool(cfg core.Config) (Pool, error) { return core.New(cfg) }
