package core_test

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/backoff"
	"orchcore.dev/orchestrator-core/observe"
	"orchcore.dev/orchestrator-core/queue"
	"orchcore.dev/orchestrator-core/watchdog"
)

// TestLifecycleUnderConcurrency runs admitters, dispatchers and cancelers
// at once (meant for -race), then checks every recorded history.
func TestLifecycleUnderConcurrency(t *testing.T) {
	t.Attr("req", "OC-CORE-1008")
	const admitters, perAdmitter, dispatchers, cancelers = 4, 300, 3, 3
	p, rec, clk := newPool(t, func(c *core.Config) {
		c.Classes = classes(32)
		c.Capacity = 64
		c.Admission = queue.DropLRU
		c.Remember = admitters * perAdmitter
		c.Retry = backoff.Config{BaseMs: 2, CapMs: 8, MaxRetries: 2, Seed: 5}
		c.Watchdog = watchdog.Limits{WallMs: 40, IdleMs: 15}
	})
	names := []string{"interactive", "batch", "background"}
	id := func(g, i int) string { return fmt.Sprintf("a%d-%d", g, i) }

	var admitted sync.Map          // id -> true when Admit succeeded
	var cancels sync.Map           // id -> core.CancelResult of the first successful cancel
	fresh := make(chan string, 64) // recently admitted ids, for cancelers
	var producing atomic.Int32
	producing.Store(admitters)
	var wg sync.WaitGroup
	for g := range admitters {
		wg.Go(func() {
			defer producing.Add(-1)
			rng := rand.New(rand.NewPCG(uint64(g), 1))
			for i := range perAdmitter {
				task := core.Task{ID: id(g, i), Class: names[rng.IntN(3)], Tenant: "t"}
				if _, err := p.Admit(task); err == nil {
					admitted.Store(task.ID, true)
					select {
					case fresh <- task.ID:
					default:
					}
				}
				clk.Advance(1)
				// Yield so that the cancelers run between admissions even
				// on a busy machine; without it the admitters could finish
				// before a canceler was scheduled (seen in 1 of 3 runs
				// with other work on both cores).
				runtime.Gosched()
			}
		})
	}
	for d := range dispatchers {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(d), 2))
			for {
				j, ok := next(p)
				if !ok {
					if producing.Load() == 0 {
						return
					}
					runtime.Gosched()
					continue
				}
				switch rng.IntN(6) {
				case 0:
					_ = p.Fail(j.Task.ID, "ENGINE_ERROR") // may retry
				case 1:
					_ = p.TimeOut(j.Task.ID, "WALL")
				case 2:
					_ = p.Token(j.Task.ID, 1) // the job keeps running: Tick or the drain ends it
				default:
					_ = p.Complete(j.Task.ID) // may lose to a cancel: INVALID_STATE
				}
			}
		})
	}
	for c := range cancelers {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(c), 3))
			for producing.Load() > 0 {
				var tid string
				select {
				case tid = <-fresh: // just admitted: races the dispatchers
				default:
					tid = id(rng.IntN(admitters), rng.IntN(perAdmitter))
				}
				if r, err := p.Cancel(tid); err == nil && r != core.AlreadyEnded {
					if _, dup := cancels.LoadOrStore(tid, r); dup {
						t.Errorf("task %s canceled twice with effect", tid)
					}
				}
			}
		})
	}
	wg.Go(func() { // the watchdog
		for producing.Load() > 0 {
			p.Tick()
			runtime.Gosched()
		}
	})
	wg.Go(func() { // a reader: snapshots must be consistent while all this runs
		for producing.Load() > 0 {
			st := p.Stats()
			sum := 0
			for _, c := range st.Classes {
				sum += c.Queued
			}
			if sum != st.Queued {
				t.Errorf("inconsistent stats %+v", st)
				return
			}
			p.State(id(0, 0))
			runtime.Gosched()
		}
	})
	wg.Wait()
	p.Tick()
	for { // drain what the dispatchers left behind: running jobs, retries, the queue
		j, ok := next(p)
		if !ok {
			if p.Stats().Retrying == 0 {
				break
			}
			clk.Advance(10) // past every backoff delay
			continue
		}
		if err := p.Complete(j.Task.ID); err != nil {
			t.Fatalf("Complete(%s): %v", j.Task.ID, err)
		}
	}
	clk.Advance(100)
	p.Tick() // jobs left running by a token end TIMED_OUT

	evs := rec.Events()
	if err := core.CheckHistories(evs); err != nil {
		t.Fatalf("histories:\n%v", err)
	}
	byTask := map[string][]observe.Kind{}
	kinds := map[observe.Kind]int{}
	for _, e := range evs {
		kinds[e.Kind]++
		if e.Kind != observe.Token {
			byTask[e.TaskID] = append(byTask[e.TaskID], e.Kind)
		}
	}
	n, aborted, canceledQueued := 0, 0, 0
	admitted.Range(func(k, _ any) bool {
		n++
		h := byTask[k.(string)]
		if len(h) == 0 || !h[len(h)-1].Terminal() {
			t.Errorf("admitted task %s has history %v", k, h)
		}
		return true
	})
	cancels.Range(func(k, v any) bool {
		h := byTask[k.(string)]
		// The two kinds before the end say which history the cancel made.
		tail := fmt.Sprint(h[max(0, len(h)-2):])
		ok := tail == "[admitted canceled]" || tail == "[retried canceled]"
		if v.(core.CancelResult) == core.AbortedJob {
			ok, aborted = tail == "[dispatched canceled]", aborted+1
		} else {
			canceledQueued++
		}
		if !ok {
			t.Errorf("cancel of %s returned %v but history is %v", k, v, h)
		}
		return true
	})
	st := p.Stats()
	if st.Queued != 0 || st.InFlight != 0 || st.Retrying != 0 {
		t.Errorf("after drain: %+v", st)
	}
	t.Logf("%d admitted, %d events, %d canceled while queued, %d aborted jobs, events %v", n, len(evs), canceledQueued, aborted, kinds)
	if kinds[observe.Retried] == 0 || kinds[observe.TimedOut] == 0 {
		t.Errorf("the run exercised no retry or no timeout: %v", kinds)
	}
	if n == 0 || canceledQueued+aborted == 0 {
		t.Errorf("the run exercised nothing: %d admitted, %d canceled", n, canceledQueued+aborted)
	}
}
