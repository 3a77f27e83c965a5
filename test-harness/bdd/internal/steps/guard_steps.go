package steps

import (
	"errors"
	"fmt"
	"slices"

	"github.com/cucumber/godog"

	"orchcore.dev/orchestrator-core/backoff"
	"orchcore.dev/orchestrator-core/watchdog"
)

// guard is the watchdog and backoff part of a scenario. The watchdog runs
// on the scenario clock; when a pool is in use, the steps play its
// dispatcher and report expiries and final failures to it.
type guard struct {
	wd       *watchdog.Watchdog
	expiries []expiry

	bo     backoff.Config
	boSet  bool
	delays map[string][]int64
	gaveUp map[string]*backoff.GiveUp
}

type expiry struct {
	watchdog.Expiry
	at int64
}

func (w *world) guardSteps(sc *godog.ScenarioContext) {
	sc.Step(`^a watchdog with wall timeout (\d+) ms and idle timeout (\d+) ms$`, func(wall, idle int64) {
		w.wd = watchdog.New(watchdog.Limits{WallMs: wall, IdleMs: idle})
	})
	sc.Step(`^job (\w+) starts$`, func(id string) error { return w.watch(id) })
	sc.Step(`^job (\w+) emits a token$`, w.token)
	sc.Step(`^job (\w+) emits a token every (\d+) ms for (\d+) ms$`, w.tokens)
	sc.Step(`^the clock advances (\d+) ms$`, w.advance)
	sc.Step(`^job (\w+) is timed out by (WALL|IDLE) at (\d+) ms$`, w.timedOut)
	sc.Step(`^job (\w+) is still running$`, w.running)

	sc.Step(`^a backoff with base (\d+) ms, cap (\d+) ms, at most (\d+) retries and seed (\d+)$`,
		func(base, limit int64, retries int, seed uint64) {
			w.bo = backoff.Config{BaseMs: base, CapMs: limit, MaxRetries: retries, Seed: seed}
			w.boSet = true
		})
	sc.Step(`^job (\w+) fails on every attempt(?: with cause (\w+))?$`, w.failAlways)
	sc.Step(`^job (\w+) was retried (\d+) times$`, w.retried)
	sc.Step(`^every retry delay is at most (\d+) ms$`, w.delaysAtMost)
	sc.Step(`^the retry delays are at least (.+) ms$`, w.delaysAtLeast)
	sc.Step(`^the same schedule replayed for job (\w+) gives the same delays$`, func(id string) error {
		return w.replay(id, w.bo.Seed, true)
	})
	sc.Step(`^the schedule with seed (\d+) gives other delays$`, func(seed uint64) error {
		for id := range w.delays {
			return w.replay(id, seed, false)
		}
		return fmt.Errorf("no job has failed yet")
	})
}

func (w *world) watchdog() (*watchdog.Watchdog, error) {
	if w.wd == nil {
		return nil, fmt.Errorf("no watchdog is configured")
	}
	return w.wd, nil
}

func (w *world) watch(id string) error {
	wd, err := w.watchdog()
	if err != nil {
		return err
	}
	if !wd.Start(id, w.clock.Now()) {
		return fmt.Errorf("job %s is already watched", id)
	}
	return nil
}

func (w *world) token(id string) error {
	wd, err := w.watchdog()
	if err != nil {
		return err
	}
	if !wd.Heartbeat(id, w.clock.Now()) {
		return fmt.Errorf("job %s is not watched", id)
	}
	return nil
}

// tokens moves the clock 1 ms at a time for d ms; at every multiple of
// every the job emits a token (if still watched), then expiries are
// collected.
func (w *world) tokens(id string, every, d int64) error {
	wd, err := w.watchdog()
	if err != nil {
		return err
	}
	for range d {
		now := w.clock.Advance(1)
		if now%every == 0 {
			wd.Heartbeat(id, now)
		}
		if err := w.expire(); err != nil {
			return err
		}
	}
	return nil
}

func (w *world) advance(d int64) error {
	w.clock.Advance(d)
	return w.expire()
}

// expire collects the watchdog's expiries at the current time and, as the
// pool's dispatcher would, times those jobs out in the pool.
func (w *world) expire() error {
	if w.wd == nil {
		return nil
	}
	now := w.clock.Now()
	for _, e := range w.wd.Expired(now) {
		w.expiries = append(w.expiries, expiry{e, now})
		if w.sp == nil {
			continue
		}
		if err := w.sp.TimeOut(e.Job, e.Kind.String()); err != nil {
			return fmt.Errorf("timing out %s: %w", e.Job, err)
		}
	}
	return nil
}

func (w *world) timedOut(id, kind string, at int64) error {
	for _, e := range w.expiries {
		if e.Job != id {
			continue
		}
		if e.Kind.String() != kind || e.at != at {
			return fmt.Errorf("job %s: want %s at %d ms, got %s at %d ms", id, kind, at, e.Kind, e.at)
		}
		return nil
	}
	return fmt.Errorf("job %s never timed out (clock at %d ms)", id, w.clock.Now())
}

func (w *world) running(id string) error {
	for _, e := range w.expiries {
		if e.Job == id {
			return fmt.Errorf("job %s timed out by %s at %d ms", id, e.Kind, e.at)
		}
	}
	if w.sp != nil {
		if st, ok := w.sp.State(id); !ok || st.String() != "DISPATCHED" {
			return fmt.Errorf("task %s: want DISPATCHED, got %v", id, st)
		}
	}
	return nil
}

// failAlways fails the job on every attempt: each retry waits its delay
// on the scenario clock; when the schedule gives up, a pool in use is
// told the job FAILED with the cause.
func (w *world) failAlways(id, cause string) error {
	if !w.boSet {
		return fmt.Errorf("no backoff is configured")
	}
	b, err := backoff.New(w.bo, id)
	if err != nil {
		return err
	}
	why := errors.New(cause)
	for attempt := 1; attempt <= 1000; attempt++ {
		d, err := b.Retry(attempt, why)
		var g *backoff.GiveUp
		if errors.As(err, &g) {
			w.gaveUp[id] = g
			if w.sp != nil {
				return w.sp.Fail(id, cause)
			}
			return nil
		}
		if err != nil {
			return err
		}
		w.delays[id] = append(w.delays[id], d)
		w.clock.Advance(d)
	}
	return fmt.Errorf("job %s: the backoff never gave up after 1000 attempts", id)
}

func (w *world) retried(id string, n int) error {
	g, ok := w.gaveUp[id]
	if !ok {
		return fmt.Errorf("job %s: the backoff did not give up", id)
	}
	if len(w.delays[id]) != n || g.Attempts != n {
		return fmt.Errorf("job %s: want %d retries, got %d delays and give-up after %d", id, n, len(w.delays[id]), g.Attempts)
	}
	return nil
}

func (w *world) allDelays() []int64 {
	var out []int64
	for _, ds := range w.delays {
		out = append(out, ds...)
	}
	return out
}

func (w *world) delaysAtMost(limit int64) error {
	ds := w.allDelays()
	if len(ds) == 0 {
		return fmt.Errorf("no retry was made")
	}
	for i, d := range ds {
		if d > limit || d < 0 {
			return fmt.Errorf("delay %d is %d ms, outside [0, %d]", i+1, d, limit)
		}
	}
	return nil
}

func (w *world) delaysAtLeast(spec string) error {
	want, err := ints(spec)
	if err != nil {
		return err
	}
	ds := w.allDelays()
	if len(ds) != len(want) {
		return fmt.Errorf("want %d delays, got %v", len(want), ds)
	}
	for i := range ds {
		if ds[i] < int64(want[i]) {
			return fmt.Errorf("delay %d is %d ms, below %d (delays %v)", i+1, ds[i], want[i], ds)
		}
	}
	return nil
}

// replay recomputes job id's delays with seed and compares them with the
// recorded ones: equal when same is true, different otherwise.
func (w *world) replay(id string, seed uint64, same bool) error {
	cfg := w.bo
	cfg.Seed = seed
	b, err := backoff.New(cfg, id)
	if err != nil {
		return err
	}
	var got []int64
	for attempt := 1; ; attempt++ {
		d, ok := b.Next(attempt)
		if !ok {
			break
		}
		got = append(got, d)
	}
	if eq := slices.Equal(got, w.delays[id]); eq != same {
		return fmt.Errorf("job %s: delays %v with seed %d, recorded %v; want equal=%v", id, got, seed, w.delays[id], same)
	}
	return nil
}
