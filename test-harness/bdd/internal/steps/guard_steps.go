package steps

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/cucumber/godog"

	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/backoff"
	"orchcore.dev/orchestrator-core/observe"
	"orchcore.dev/orchestrator-core/watchdog"
	"orchcore.dev/test-harness/bdd/internal/sut"
)

// guard is the watchdog side of a scenario: the jobs the pool's Tick
// ended, with the clock reading at which it did.
type guard struct {
	expiries []expiry
}

type expiry struct {
	core.Expiry
	at int64
}

// defaultCause is the failure cause when a step names none.
const defaultCause = "REPLICA_LOST"

func (w *world) guardSteps(sc *godog.ScenarioContext) {
	sc.Step(`^a watchdog with wall timeout (\d+) ms and idle timeout (\d+) ms$`, func(wall, idle int64) error {
		return w.configure(func(c *core.Config) { c.Watchdog = watchdog.Limits{WallMs: wall, IdleMs: idle} })
	})
	sc.Step(`^job (\w+) emits (a|\d+) tokens?$`, w.token)
	sc.Step(`^job (\w+) emits a token every (\d+) ms for (\d+) ms$`, w.tokens)
	sc.Step(`^the clock advances (\d+) ms$`, w.advance)
	sc.Step(`^job (\w+) is timed out by (WALL|IDLE) at (\d+) ms$`, w.timedOut)
	sc.Step(`^job (\w+) is still running$`, w.running)
	sc.Step(`^the watchdog ended (.+) in that order$`, w.expiredInOrder)

	sc.Step(`^a backoff with base (\d+) ms, cap (\d+) ms, at most (\d+) retries and seed (\d+)$`,
		func(base, limit int64, retries int, seed uint64) error {
			return w.configure(func(c *core.Config) {
				c.Retry = backoff.Config{BaseMs: base, CapMs: limit, MaxRetries: retries, Seed: seed}
			})
		})
	sc.Step(`^job (\w+) fails(?: with cause (\w+))?$`, w.fail)
	sc.Step(`^job (\w+) fails on every attempt(?: with cause (\w+))?$`, w.failAlways)
	sc.Step(`^job (\w+) was retried (\d+) times$`, w.retried)
	sc.Step(`^every retry delay is at most (\d+) ms$`, w.delaysAtMost)
	sc.Step(`^the retry delays are at least (.+) ms$`, w.delaysAtLeast)
	sc.Step(`^the same schedule replayed for job (\w+) gives the same delays$`, func(id string) error {
		return w.replay(id, w.cfg.Retry.Seed, true)
	})
	sc.Step(`^the schedule with seed (\d+) gives other delays$`, func(seed uint64) error {
		for _, id := range w.arrived {
			if len(w.rec.delays(id)) > 0 {
				return w.replay(id, seed, false)
			}
		}
		return fmt.Errorf("no job was retried")
	})
}

// token reports output of the job ("a" token, or a number of them).
func (w *world) token(id, count string) error {
	n := 1
	if count != "a" {
		var err error
		if n, err = strconv.Atoi(count); err != nil {
			return err
		}
	}
	return w.report(id, func(p sut.Pool) error { return p.Token(id, n) })
}

// tokens moves the clock 1 ms at a time for d ms; at every multiple of
// every the job emits a token while it runs, then the pool's watchdog
// ticks.
func (w *world) tokens(id string, every, d int64) error {
	p, err := w.thePool()
	if err != nil {
		return err
	}
	for range d {
		now := w.clock.Advance(1)
		if st, _ := p.State(id); now%every == 0 && st == core.Dispatched {
			if err := p.Token(id, 1); err != nil {
				return fmt.Errorf("job %s: %w", id, err)
			}
		}
		w.tick()
	}
	return nil
}

func (w *world) advance(d int64) error {
	w.clock.Advance(d)
	w.tick()
	return nil
}

// tick runs the pool's watchdog at the current time, as the dispatcher
// does whenever time moves, and records what it ended.
func (w *world) tick() {
	if w.sp == nil {
		return
	}
	now := w.clock.Now()
	for _, x := range w.sp.Tick() {
		w.expiries = append(w.expiries, expiry{x, now})
	}
}

// timedOut checks the pool's Tick ended the job at that time with that
// timeout, and that its task ended TIMED_OUT naming it.
func (w *world) timedOut(id, kind string, at int64) error {
	for _, e := range w.expiries {
		if e.TaskID != id {
			continue
		}
		if e.Kind.String() != kind || e.at != at {
			return fmt.Errorf("job %s: want %s at %d ms, got %s at %d ms", id, kind, at, e.Kind, e.at)
		}
		return w.ends(id, "TIMED_OUT", kind)
	}
	return fmt.Errorf("job %s never timed out (clock at %d ms)", id, w.clock.Now())
}

func (w *world) expiredInOrder(ids string) error {
	var got []string
	for _, e := range w.expiries {
		got = append(got, e.TaskID)
	}
	if want := list(ids); !slices.Equal(got, want) {
		return fmt.Errorf("want expiries %v, got %v", want, got)
	}
	return nil
}

func (w *world) running(id string) error {
	for _, e := range w.expiries {
		if e.TaskID == id {
			return fmt.Errorf("job %s timed out by %s at %d ms", id, e.Kind, e.at)
		}
	}
	p, err := w.thePool()
	if err != nil {
		return err
	}
	if st, ok := p.State(id); !ok || st != core.Dispatched {
		return fmt.Errorf("task %s: want DISPATCHED, got %v", id, st)
	}
	return nil
}

// fail reports one failure of the job on its replica.
func (w *world) fail(id, cause string) error {
	if cause == "" {
		cause = defaultCause
	}
	return w.report(id, func(p sut.Pool) error { return p.Fail(id, cause) })
}

// failAlways fails the job on every attempt: after each failure the
// clock moves by the delay the pool announced and the dispatcher places
// the retry, until the pool gives up.
func (w *world) failAlways(id, cause string) error {
	p, err := w.thePool()
	if err != nil {
		return err
	}
	for range 1000 {
		if err := w.fail(id, cause); err != nil {
			return err
		}
		switch st, _ := p.State(id); st {
		case core.Failed:
			return nil
		case core.Retrying:
		default:
			return fmt.Errorf("task %s is %v after a failure; want RETRYING or FAILED", id, st)
		}
		ds := w.rec.delays(id)
		if err := w.advance(ds[len(ds)-1]); err != nil {
			return err
		}
		d, err := w.next()
		if err != nil {
			return err
		}
		if d.Outcome != core.Placed || d.TaskID != id {
			return fmt.Errorf("the retry of %s was not placed once its delay was over: %s", id, describe(d))
		}
	}
	return fmt.Errorf("job %s: the pool never gave up after 1000 failures", id)
}

// retried checks the task was dispatched n+1 times, retried n times and
// ended FAILED.
func (w *world) retried(id string, n int) error {
	var dispatched, retried int
	for _, e := range w.rec.of(id) {
		switch e.Kind {
		case observe.Dispatched:
			dispatched++
		case observe.Retried:
			retried++
		}
	}
	if dispatched != n+1 || retried != n {
		return fmt.Errorf("job %s: want %d dispatches and %d retries, got %d and %d: %v", id, n+1, n, dispatched, retried, w.rec.history(id))
	}
	return w.oneTerminal(id)
}

func (w *world) allDelays() []int64 {
	var out []int64
	for _, id := range w.arrived {
		out = append(out, w.rec.delays(id)...)
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

// replay runs job id again in a fresh pool of the same system whose
// retry seed is seed, failing on every attempt, and compares the delays
// with this scenario's: equal when same is true, different otherwise.
func (w *world) replay(id string, seed uint64, same bool) error {
	a, ok := w.admits[id]
	if !ok {
		return fmt.Errorf("task %s never arrived", id)
	}
	fresh := w.fresh()
	fresh.cfg.Retry.Seed = seed
	if err := fresh.admit(a.task); err != nil {
		return err
	}
	if err := fresh.take(1); err != nil {
		return err
	}
	if err := fresh.failAlways(id, ""); err != nil {
		return err
	}
	got, had := fresh.rec.delays(id), w.rec.delays(id)
	if eq := slices.Equal(got, had); eq != same {
		return fmt.Errorf("job %s: delays %v with seed %d, recorded %v; want equal=%v", id, got, seed, had, same)
	}
	return nil
}

// fresh is a new scenario state of the same system with this one's
// configuration, pools and replicas.
func (w *world) fresh() *world {
	f := newWorld(w.sys)
	f.cfg, f.doc = w.cfg, w.doc
	f.pools, f.replicas = w.pools, slices.Clone(w.replicas)
	return f
}
