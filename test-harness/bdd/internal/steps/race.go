package steps

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"

	core "orchcore.dev/orchestrator-core"
)

// race runs cancel-versus-dispatch races over the arrived tasks: c
// cancellers (between them canceling every task once, half of them from
// the back of the queue) against d dispatchers draining the pool with
// Next, all released together. Each run must leave every task with
// exactly one terminal state and every cancel consistent with its
// history. Timing decides which history each task gets, so while one of
// the two allowed histories has not occurred yet the whole race is rerun
// on a fresh pool with the same tasks, at most runs times; no sleeps.
// Every goroutine yields between operations (runtime.Gosched) so that, on
// a busy machine too, the dispatchers do not drain the queue before the
// cancellers get to run.
func (w *world) race(c, d, runs int) error {
	if c < 1 || d < 1 || runs < 1 {
		return fmt.Errorf("want at least one canceller, dispatcher and run")
	}
	w.seen = map[string]int{}
	for run := 1; ; run++ {
		if err := w.raceOnce(c, d); err != nil {
			return fmt.Errorf("run %d: %w", run, err)
		}
		if err := w.allOneTerminal(); err != nil {
			return fmt.Errorf("run %d: %w", run, err)
		}
		if err := w.racedResults(); err != nil {
			return fmt.Errorf("run %d: %w", run, err)
		}
		for _, id := range w.arrived {
			w.seen[strings.Join(w.rec.history(id), ", ")]++
		}
		w.raceRuns = run
		if w.seen[canceledQueued] > 0 && w.seen[canceledDispatched] > 0 || run == runs {
			return nil
		}
		if err := w.refill(); err != nil {
			return err
		}
	}
}

// The two histories a raced task may have.
const (
	canceledQueued     = "admitted, canceled"
	canceledDispatched = "admitted, dispatched, canceled"
)

func (w *world) raceOnce(c, d int) error {
	p, err := w.thePool()
	if err != nil {
		return err
	}
	snap := w.snapshot()
	var (
		wg    sync.WaitGroup
		start = make(chan struct{})
		mu    sync.Mutex
		errs  []error
	)
	for k := range c {
		var mine []string
		for i, id := range w.arrived {
			if i%c == k {
				mine = append(mine, id)
			}
		}
		if k%2 == 1 {
			slices.Reverse(mine) // these race the dispatchers for the tail
		}
		wg.Go(func() {
			<-start
			for _, id := range mine {
				runtime.Gosched() // interleave with the dispatchers; a hint, not a wait
				res, err := p.Cancel(id)
				mu.Lock()
				w.raced[id] = res
				if err != nil {
					errs = append(errs, fmt.Errorf("cancel %s: %w", id, err))
				}
				mu.Unlock()
			}
		})
	}
	for range d {
		wg.Go(func() {
			<-start
			for {
				if d, _ := p.Next(snap); d.Outcome == core.Idle || d.Outcome == core.Unplaced {
					return
				}
				runtime.Gosched()
			}
		})
	}
	close(start)
	wg.Wait()
	if len(errs) > 0 {
		return errs[0]
	}
	return nil
}

// refill replaces the pool with a new one holding the same arrived tasks,
// admitted again in the same order, and forgets what the last race did.
func (w *world) refill() error {
	var tasks []core.Task
	for _, id := range w.arrived {
		tasks = append(tasks, w.admits[id].task)
	}
	w.sp, w.rec = nil, recorder{}
	w.arrived, w.order = nil, nil
	w.admits = map[string]admitted{}
	w.cancels = map[string][]canceled{}
	w.raced = map[string]core.CancelResult{}
	for _, t := range tasks {
		if err := w.admit(t); err != nil {
			return err
		}
		if a := w.admits[t.ID]; a.err != nil {
			return fmt.Errorf("rerun: task %s refused: %w", t.ID, a.err)
		}
	}
	return nil
}

// bothSeen checks that over all runs of the race both allowed histories
// occurred and no other did.
func (w *world) bothSeen(a, b string) error {
	for h := range w.seen {
		if h != a && h != b {
			return fmt.Errorf("history %q occurred (%d tasks), neither %q nor %q", h, w.seen[h], a, b)
		}
	}
	if w.seen[a] == 0 || w.seen[b] == 0 {
		return fmt.Errorf("after %d runs: histories seen %v; want both %q and %q", w.raceRuns, w.seen, a, b)
	}
	return nil
}
