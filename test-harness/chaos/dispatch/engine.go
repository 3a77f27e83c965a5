package dispatch

import (
	"context"
	"errors"

	core "orchcore.dev/orchestrator-core"
)

// Engine runs jobs on one replica.
type Engine interface {
	// Run streams job, calling tok for each token event, and returns nil
	// when the stream completed. An error should wrap one of ErrDown,
	// ErrNotReady or ErrStalled when it says something about the replica;
	// any other error is a failure of this job only.
	Run(ctx context.Context, job *core.Job, tok func(n int)) error
}

// Probe reports a replica's state.
type Probe interface {
	Probe(ctx context.Context) (Status, error)
}

// Status is one probe's view of a replica. An error from Probe means the
// replica is down.
type Status struct {
	Ready bool
	// Slots is the number of concurrent jobs it takes (from /props);
	// 0 keeps the last known value.
	Slots int
	// EngineVersion, SamplerProfile, ModelDigest and CtxMax come from
	// /props; empty keeps the last known value.
	EngineVersion, SamplerProfile, ModelDigest string
	CtxMax                                     int
	// Active is the slots the replica reports busy (/metrics), -1 if
	// unknown; it feeds the replica sample only.
	Active int
}

// Causes a dispatcher gives Pool.Fail.
const (
	CauseDown     = "REPLICA_DOWN"
	CauseNotReady = "NOT_READY"
	CauseEngine   = "ENGINE_ERROR"
	CauseStalled  = "STREAM_STALLED"
)

// Errors an Engine wraps to say what a failure means for the replica.
var (
	ErrDown     = errors.New("replica down")
	ErrNotReady = errors.New("replica not ready")
	ErrStalled  = errors.New("stream stalled")
)

// cause maps an engine error to the Fail cause and the observation it
// implies ("" for none).
func cause(err error) (string, string) {
	switch {
	case errors.Is(err, ErrNotReady):
		return CauseNotReady, ObsNotReady
	case errors.Is(err, ErrStalled):
		return CauseStalled, ObsDown
	case errors.Is(err, ErrDown):
		return CauseDown, ObsDown
	}
	return CauseEngine, ""
}

// FuncEngine is an in-process Engine: the function is the replica.
type FuncEngine func(ctx context.Context, job *core.Job, tok func(n int)) error

// Run calls f.
func (f FuncEngine) Run(ctx context.Context, job *core.Job, tok func(n int)) error {
	return f(ctx, job, tok)
}

// ProbeFunc adapts a function to a Probe.
type ProbeFunc func(ctx context.Context) (Status, error)

// Probe calls f.
func (f ProbeFunc) Probe(ctx context.Context) (Status, error) { return f(ctx) }
