package steps

import (
	"fmt"

	"github.com/cucumber/godog"

	core "orchcore.dev/orchestrator-core"
)

// preemptSteps are the steps of bounded preemption (OC-CORE-1057).
func (w *world) preemptSteps(sc *godog.ScenarioContext) {
	sc.Step(`^preemption allows at most (\d+) preemptions? per (\d+) ms$`, func(n int, ms int64) error {
		return w.configure(func(c *core.Config) {
			c.Preemption = core.Preemption{Enabled: true, MaxPerWindow: n, WindowMs: ms}
		})
	})
	sc.Step(`^replica (\S+) is full$`, func(id string) error { return w.slotsFree(id, 0) })
	sc.Step(`^replica (\S+) has a free slot$`, func(id string) error { return w.slotsFree(id, 1) })
	sc.Step(`^nothing is preempted$`, w.nonePreempted)
	sc.Step(`^job (\w+) was preempted for (\w+)$`, w.wasPreempted)
	sc.Step(`^(\d+) jobs? (?:was|were) preempted$`, w.preemptedCount)
	sc.Step(`^job (\w+) runs as attempt (\d+) with seed (\d+)$`, w.runsAs)
}

// slotsFree sets the replica's active slots to leave free slots.
func (w *world) slotsFree(id string, free int) error {
	r, err := w.replica(id)
	if err == nil {
		r.ActiveSlots = max(r.SlotsTotal-free, 0)
	}
	return err
}

// preemptions are the Preempted results of the scenario's calls of Next.
func (w *world) preemptions() []core.Dispatch {
	var out []core.Dispatch
	for _, d := range w.dispatches {
		if d.Outcome == core.Preempted {
			out = append(out, d)
		}
	}
	return out
}

func (w *world) nonePreempted() error {
	if ps := w.preemptions(); len(ps) > 0 {
		return fmt.Errorf("%d preemptions, the first of job %s for %s", len(ps), ps[0].Job.ID, ps[0].Head)
	}
	return nil
}

func (w *world) preemptedCount(n int) error {
	if got := len(w.preemptions()); got != n {
		return fmt.Errorf("want %d preemptions, got %d", n, got)
	}
	return nil
}

// wasPreempted checks that the task's running job was preempted for head.
func (w *world) wasPreempted(id, head string) error {
	for _, d := range w.preemptions() {
		if d.TaskID == id {
			if d.Head != head {
				return fmt.Errorf("job %s was preempted for %s, not %s", d.Job.ID, d.Head, head)
			}
			return nil
		}
	}
	return fmt.Errorf("job %s was not preempted (preemptions: %d)", id, len(w.preemptions()))
}

// runsAs checks the task's latest placed job.
func (w *world) runsAs(id string, attempt int, seed uint64) error {
	for i := len(w.order) - 1; i >= 0; i-- {
		j := w.order[i]
		if j.Task.ID != id {
			continue
		}
		if j.Attempt != attempt || j.Seed.Value != seed {
			return fmt.Errorf("job %s: attempt %d seed %d, want attempt %d seed %d", j.ID, j.Attempt, j.Seed.Value, attempt, seed)
		}
		return nil
	}
	return fmt.Errorf("task %s was never placed", id)
}
