package sut

import (
	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/queue"
	"orchcore.dev/orchestrator-core/scheduling"
)

// Pool is the part of core.Pool the steps drive.
type Pool interface {
	Admit(core.Task) (core.Admission, error)
	Next(scheduling.Snapshot) (core.Dispatch, bool)
	Token(id string, n int) error
	Complete(id string) error
	Fail(id, cause string) error
	Cancel(id string) (core.CancelResult, error)
	Tick() []core.Expiry
	State(id string) (core.State, bool)
	Queue(class string) []string
	Stats() core.Stats
	Classes() []queue.Class
}

var _ Pool = (*core.Pool)(nil)
