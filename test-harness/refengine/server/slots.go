package server

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"

	"orchcore.dev/test-harness/refengine/engine"
	"orchcore.dev/test-harness/refengine/model"
)

// slots hands out slot ids, lowest free first; callers wait for a free one.
type slots struct {
	sem  chan struct{}
	mu   sync.Mutex
	busy []bool
}

func newSlots(n int) *slots {
	return &slots{sem: make(chan struct{}, n), busy: make([]bool, n)}
}

// acquire waits for a free slot or the end of ctx.
func (s *slots) acquire(ctx context.Context) (int, error) {
	select {
	case s.sem <- struct{}{}:
	case <-ctx.Done():
		return 0, ctx.Err()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, b := range s.busy {
		if !b {
			s.busy[i] = true
			return i, nil
		}
	}
	panic("server: semaphore admitted more holders than slots")
}

func (s *slots) release(id int) {
	s.mu.Lock()
	s.busy[id] = false
	s.mu.Unlock()
	<-s.sem
}

// step asks the batcher for one decode step's logits.
type step struct {
	ctx  model.Context
	out  []float32
	done chan struct{}
}

// batcher computes the waiting steps of all active slots together, like a
// continuous-batching decode loop. Unless invariant, the reduction split
// follows the batch size, so which slots happen to share a step changes the
// logits.
type batcher struct {
	eng       *engine.Engine
	invariant bool
	in        chan *step
	quit      <-chan struct{}
	active    atomic.Int64
	metrics   *metrics
}

func newBatcher(ctx context.Context, e *engine.Engine, n int, invariant bool, m *metrics) *batcher {
	return &batcher{eng: e, invariant: invariant, in: make(chan *step, n), quit: ctx.Done(), metrics: m}
}

// gatherRounds bounds how often the loop yields while waiting for more
// active slots to submit their step.
const gatherRounds = 4

func (b *batcher) run() {
	var batch []*step
	for {
		batch = batch[:0]
		select {
		case st := <-b.in:
			batch = append(batch, st)
		case <-b.quit:
			return
		}
		for round := 0; round < gatherRounds && int64(len(batch)) < b.active.Load(); round++ {
			runtime.Gosched()
		drain:
			for {
				select {
				case st := <-b.in:
					batch = append(batch, st)
				default:
					break drain
				}
			}
		}
		splits := b.eng.InvariantSplits()
		if !b.invariant {
			splits = b.eng.BatchSplits(len(batch))
		}
		b.metrics.batchSize.Observe(float64(len(batch)))
		for _, st := range batch {
			b.eng.Model().Logits(st.ctx, splits, st.out)
			close(st.done)
		}
	}
}

// errStopped reports a step refused because the server is closing.
var errStopped = errors.New("server: shutting down")

// compute runs one step through the batch loop. Once submitted, the step is
// waited for even if ctx ends, because the batcher owns the logits buffer
// until it is done; only server shutdown cuts that wait.
func (b *batcher) compute(ctx context.Context, d *engine.Decoder) error {
	st := &step{ctx: d.Context(), out: d.Logits(), done: make(chan struct{})}
	select {
	case b.in <- st:
	case <-ctx.Done():
		return ctx.Err()
	case <-b.quit:
		return errStopped
	}
	select {
	case <-st.done:
		return nil
	case <-b.quit:
		return errStopped
	}
}
