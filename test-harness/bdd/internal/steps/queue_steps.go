package steps

import (
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/cucumber/godog"

	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/test-harness/bdd/internal/sut"
)

func (w *world) queueSteps(sc *godog.ScenarioContext) {
	sc.Step(`^the dispatcher takes (\d+) tasks?$`, w.take)
	sc.Step(`^the dispatch order is (.+)$`, w.orderIs)
	sc.Step(`^nothing is dispatched$`, func() error {
		if len(w.order) > 0 {
			return fmt.Errorf("want nothing dispatched, got %v", w.dispatched())
		}
		return nil
	})
	sc.Step(`^job (\w+) completes$`, func(id string) error {
		return w.report(id, func(p sut.Pool) error { return p.Complete(id) })
	})

	sc.Step(`^task (\w+) is canceled(?: again)?$`, w.cancel)
	sc.Step(`^the (?:(first|last) )?cancel of (\w+) (removed it from the queue|aborted the job|found it already ended)$`, w.cancelResult)
	sc.Step(`^the cancel of (\w+) fails with (\w+)$`, w.cancelFails)
	sc.Step(`^task (\w+) has exactly one terminal state$`, w.oneTerminal)
	sc.Step(`^the history of (\w+) is (.+)$`, w.historyIs)
	sc.Step(`^(\d+) cancellers cancel every task while (\d+) dispatchers drain the pool, rerun up to (\d+) times until both histories occur$`, w.race)
	sc.Step(`^both histories occurred: (.+) and (.+)$`, w.bothSeen)
	sc.Step(`^every task has exactly one terminal state$`, w.allOneTerminal)
	sc.Step(`^every task's history is either (.+) or (.+)$`, w.historiesAre)
	sc.Step(`^every cancel reported the history it produced$`, w.racedResults)

	sc.Step(`^the dispatches per class are:$`, w.perClass)
	sc.Step(`^class (\w+) is served in each block of (\d+) dispatches$`, w.servedEvery)
	sc.Step(`^the (dispatch|admission) share is:$`, func(which string, t *godog.Table) error { return w.shares(t, which == "dispatch") })
}

// take calls Next up to n times with the scenario's snapshot; a call
// that finds nothing due, or a task no replica can take, ends the step
// (the next call would find the same task).
func (w *world) take(n int) error {
	for range n {
		d, err := w.next()
		if err != nil {
			return err
		}
		if d.Outcome == core.Idle || d.Outcome == core.Unplaced {
			break
		}
	}
	return nil
}

func (w *world) dispatched() []string {
	var out []string
	for _, j := range w.order {
		out = append(out, j.Task.ID)
	}
	return out
}

func (w *world) orderIs(ids string) error {
	if got, want := w.dispatched(), list(ids); !slices.Equal(got, want) {
		return fmt.Errorf("want dispatch order %v, got %v", want, got)
	}
	return nil
}

func (w *world) report(id string, f func(sut.Pool) error) error {
	p, err := w.thePool()
	if err != nil {
		return err
	}
	if err := f(p); err != nil {
		return fmt.Errorf("job %s: %w", id, err)
	}
	return nil
}

func (w *world) cancel(id string) error {
	p, err := w.thePool()
	if err != nil {
		return err
	}
	res, err := p.Cancel(id)
	w.cancels[id] = append(w.cancels[id], canceled{res, err})
	return nil
}

var cancelWords = map[string]core.CancelResult{
	"removed it from the queue": core.CanceledQueued,
	"aborted the job":           core.AbortedJob,
	"found it already ended":    core.AlreadyEnded,
}

// cancelResult checks what a cancel reported: the first or the last
// cancel of the task (the only one when which is empty).
func (w *world) cancelResult(which, id, words string) error {
	cs := w.cancels[id]
	if len(cs) == 0 || which == "" && len(cs) != 1 {
		return fmt.Errorf("task %s was canceled %d times", id, len(cs))
	}
	c := cs[len(cs)-1]
	if which == "first" {
		c = cs[0]
	}
	if want := cancelWords[words]; c.err != nil || c.res != want {
		return fmt.Errorf("cancel of %s: want %v, got %v, %v", id, want, c.res, c.err)
	}
	return nil
}

func (w *world) cancelFails(id, code string) error {
	cs := w.cancels[id]
	if len(cs) == 0 {
		return fmt.Errorf("task %s was never canceled", id)
	}
	if got := core.CodeOf(cs[len(cs)-1].err); string(got) != code {
		return fmt.Errorf("cancel of %s: want %s, got %v", id, code, cs[len(cs)-1].err)
	}
	return nil
}

func (w *world) oneTerminal(id string) error {
	if n := w.rec.terminals(id); n != 1 {
		return fmt.Errorf("task %s: want exactly one terminal event, got %d: %v", id, n, w.rec.history(id))
	}
	return nil
}

func (w *world) historyIs(id, want string) error {
	if got := w.rec.history(id); !slices.Equal(got, list(want)) {
		return fmt.Errorf("task %s: want history %v, got %v", id, list(want), got)
	}
	return nil
}

func (w *world) allOneTerminal() error {
	if len(w.arrived) == 0 {
		return fmt.Errorf("no task arrived")
	}
	for _, id := range w.arrived {
		if err := w.oneTerminal(id); err != nil {
			return err
		}
	}
	return nil
}

func (w *world) historiesAre(a, b string) error {
	for _, id := range w.arrived {
		h := w.rec.history(id)
		if !slices.Equal(h, list(a)) && !slices.Equal(h, list(b)) {
			return fmt.Errorf("task %s: history %v is neither %v nor %v", id, h, list(a), list(b))
		}
	}
	return nil
}

func (w *world) perClass(t *godog.Table) error {
	got := map[string]int{}
	for _, j := range w.order {
		got[j.Task.Class]++
	}
	for _, r := range rows(t) {
		want, err := strconv.Atoi(r["dispatches"])
		if err != nil {
			return err
		}
		if got[r["class"]] != want {
			return fmt.Errorf("class %s: want %d dispatches, got %d (order %v)", r["class"], want, got[r["class"]], w.dispatched())
		}
	}
	return nil
}

// servedEvery checks that each consecutive block of n dispatches, counted
// from the first, holds at least one dispatch of class.
func (w *world) servedEvery(class string, n int) error {
	if len(w.order) < n {
		return fmt.Errorf("only %d dispatches, fewer than one block of %d", len(w.order), n)
	}
	for lo := 0; lo+n <= len(w.order); lo += n {
		if !slices.ContainsFunc(w.order[lo:lo+n], func(j core.Job) bool { return j.Task.Class == class }) {
			return fmt.Errorf("class %s not served in dispatches %d..%d (order %v)", class, lo+1, lo+n, w.dispatched())
		}
	}
	return nil
}

// shares compares the pool's per-class shares with the table, to the
// three decimals written there.
func (w *world) shares(t *godog.Table, dispatch bool) error {
	p, err := w.thePool()
	if err != nil {
		return err
	}
	got := map[string]float64{}
	for _, c := range p.Stats().Classes {
		got[c.Class] = c.AdmissionShare
		if dispatch {
			got[c.Class] = c.DispatchShare
		}
	}
	for _, r := range rows(t) {
		want, err := strconv.ParseFloat(r["share"], 64)
		if err != nil {
			return err
		}
		if math.Abs(got[r["class"]]-want) > 0.0005 {
			return fmt.Errorf("class %s: want share %.3f, got %.4f", r["class"], want, got[r["class"]])
		}
	}
	return nil
}

// racedResults checks each raced cancel against the task's history: a
// removed task was never dispatched, an aborted job was.
func (w *world) racedResults() error {
	if len(w.raced) != len(w.arrived) {
		return fmt.Errorf("%d cancels for %d tasks", len(w.raced), len(w.arrived))
	}
	for id, res := range w.raced {
		dispatched := slices.Contains(w.rec.history(id), "dispatched")
		if res == core.CanceledQueued && dispatched || res == core.AbortedJob && !dispatched ||
			res != core.CanceledQueued && res != core.AbortedJob {
			return fmt.Errorf("task %s: cancel reported %v, history %v", id, res, w.rec.history(id))
		}
	}
	return nil
}
