package steps

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/cucumber/godog"

	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/scheduling"
)

func (w *world) placementSteps(sc *godog.ScenarioContext) {
	sc.Step(`^replicas:$`, func(t *godog.Table) error { return w.addReplicas(rows(t)) })
	sc.Step(`^pool (\S+) with device mask ([\d,]+)$`, w.declarePool)
	sc.Step(`^replicas listed in the order ([\w, ]+), all with (\d+) MB free and (\d+) active slots?$`, w.sameReplicas)
	sc.Step(`^replica (\S+) turns (Ready|not Ready)$`, w.turn)
	sc.Step(`^replica (\S+) now has (\d+) MB free$`, w.setFree)
	sc.Step(`^replicas above a queue depth of (\d+), a KV use of (\d+) per mille or a sample age of (\d+) ms are saturated$`,
		func(depth, kv int, age int64) error {
			return w.configure(func(c *core.Config) {
				c.Placement.Saturation = scheduling.Saturation{MaxQueueDepth: depth, MaxKVPermille: kv, MaxSampleAgeMs: age}
			})
		})
	sc.Step(`^pinning is (allowed|disallowed)$`, func(v string) error {
		return w.configure(func(c *core.Config) { c.Placement.AllowPin = v == "allowed" })
	})

	sc.Step(jobPlaced, w.placeJob)
	sc.Step(`^a job is placed (\d+) times on the same snapshot$`, w.placeMany)

	sc.Step(`^it goes to replica (\S+)(?: with kv_warmth (true|false))?$`, w.wentWarm)
	sc.Step(`^every placement goes to replica (\S+)$`, w.allWentTo)
	sc.Step(`^nothing is placed, with reason (\S+)$`, w.notPlaced)
	sc.Step(`^the decision counts (\d+) candidates, (\d+) feasible$`, w.counts)
	sc.Step(`^the decision filtered (.+)$`, w.filtered)
	sc.Step(`^the placement is refused with (\S+)$`, w.refusedPlacement)
}

// jobPlaced reads "a job [for model M] [on engine E] [of session S]
// [pinned to pool P] [needing ctx_max N] [and extension X] is placed
// [and completes]": a task with these requirements arrives and the
// dispatcher calls Next once with the scenario's snapshot.
const jobPlaced = `^a job(?: for model (\S+))?(?: on engine (\S+))?(?: of session (\S+))?` +
	`(?: pinned to pool (\S+))?(?: needing ctx_max (\d+))?(?: and extension (\S+))? is placed( and completes)?$`

func (w *world) placeJob(model, engine, session, pin, ctx, ext, completes string) error {
	t := w.newJob()
	t.SessionID, t.Pin = session, pin
	if model != "" {
		t.Model.ModelID = model
	}
	t.Model.Engine = engine
	if ctx != "" {
		n, err := strconv.Atoi(ctx)
		if err != nil {
			return err
		}
		t.Model.CtxMax = scheduling.Some(n)
	}
	if ext != "" {
		t.Model.Extensions = []string{ext}
	}
	d, err := w.place(t)
	if err != nil || completes == "" || d.Outcome != core.Placed {
		return err
	}
	// the job completed well: its replica is the session's last good one
	return w.sp.Complete(t.ID)
}

// newJob is the next task a placement step submits (job-1, job-2, ...).
func (w *world) newJob() core.Task {
	w.jobs++
	return newTask(fmt.Sprintf("job-%d", w.jobs), "batch")
}

// place admits t and makes one dispatch, which must concern t.
func (w *world) place(t core.Task) (core.Dispatch, error) {
	if err := w.admit(t); err != nil {
		return core.Dispatch{}, err
	}
	if err := w.admits[t.ID].err; err != nil {
		return core.Dispatch{}, fmt.Errorf("job %s was refused at admission: %w", t.ID, err)
	}
	d, err := w.next()
	if err == nil && d.TaskID != t.ID {
		err = fmt.Errorf("the dispatcher took %q, not the new job %s: %s", d.TaskID, t.ID, describe(d))
	}
	return d, err
}

// next calls Next once with the scenario's snapshot.
func (w *world) next() (core.Dispatch, error) {
	p, err := w.thePool()
	if err != nil {
		return core.Dispatch{}, err
	}
	d, placed := p.Next(w.snapshot())
	if placed != (d.Outcome == core.Placed) {
		return d, fmt.Errorf("Next answered %v with outcome %s", placed, d.Outcome)
	}
	w.last, w.nexts = d, w.nexts+1
	w.dispatches = append(w.dispatches, d)
	if placed {
		w.order = append(w.order, d.Job)
	}
	return d, nil
}

func (w *world) declarePool(id, mask string) error {
	m, err := ints(mask)
	w.pools = append(w.pools, scheduling.Pool{ID: id, DeviceMask: m})
	return err
}

func (w *world) sameReplicas(order string, free int64, active int) {
	for _, id := range list(order) {
		r := defaultReplica(id)
		r.FreeVRAMMB, r.ActiveSlots = free, active
		w.replicas = append(w.replicas, r)
	}
}

func (w *world) turn(id, state string) error {
	r, err := w.replica(id)
	if err == nil {
		r.Ready = state == "Ready"
	}
	return err
}

func (w *world) setFree(id string, free int64) error {
	r, err := w.replica(id)
	if err == nil {
		r.FreeVRAMMB = free
	}
	return err
}

func (w *world) placeMany(n int) error {
	var got []string
	for range n {
		d, err := w.place(w.newJob())
		if err != nil {
			return err
		}
		got = append(got, d.Job.Replica)
	}
	w.many = got
	return nil
}

// decided returns the latest dispatch; it fails when none was made.
func (w *world) decided() (core.Dispatch, error) {
	if w.nexts == 0 {
		return core.Dispatch{}, fmt.Errorf("the dispatcher made no decision")
	}
	return w.last, nil
}

func (w *world) wentTo(id string) (core.Dispatch, error) {
	d, err := w.decided()
	if err != nil {
		return d, err
	}
	if d.Outcome != core.Placed || d.Job.Replica != id {
		return d, fmt.Errorf("want a job on replica %s, got %s", id, describe(d))
	}
	return d, nil
}

func (w *world) wentWarm(id, warm string) error {
	d, err := w.wentTo(id)
	if err != nil || warm == "" {
		return err
	}
	if want := warm == "true"; d.Job.KVWarmth != want {
		return fmt.Errorf("want kv_warmth=%v, got %s", want, describe(d))
	}
	return nil
}

func (w *world) allWentTo(id string) error {
	if len(w.many) == 0 {
		return fmt.Errorf("no placements were made")
	}
	for i, got := range w.many {
		if got != id {
			return fmt.Errorf("placement %d went to %q, want %s (all: %v)", i+1, got, id, w.many)
		}
	}
	return nil
}

func (w *world) notPlaced(reason string) error {
	d, err := w.decided()
	if err != nil {
		return err
	}
	if d.Outcome != core.Unplaced || d.Decision.Reason.String() != reason {
		return fmt.Errorf("want nothing placed with reason %s, got %s", reason, describe(d))
	}
	return nil
}

func (w *world) counts(want, feasible int) error {
	d, err := w.decided()
	if err != nil {
		return err
	}
	if total(d) != want || d.Decision.CandidatesFeasible != feasible {
		return fmt.Errorf("want %d candidates, %d feasible; got %s", want, feasible, describe(d))
	}
	return nil
}

// filtered checks "1 by POOL_UNREADY, 2 by NO_CAPACITY": exactly these
// reasons, with these counts.
func (w *world) filtered(spec string) error {
	d, err := w.decided()
	if err != nil {
		return err
	}
	want := map[string]int{}
	for _, item := range list(spec) {
		n, code, ok := strings.Cut(item, " by ")
		c, err := strconv.Atoi(n)
		if !ok || err != nil {
			return fmt.Errorf("cannot read %q; write it as N by REASON", item)
		}
		want[code] = c
	}
	if got := filtered(d); fmt.Sprint(got) != fmt.Sprint(want) {
		return fmt.Errorf("want filtered %v, got %v", want, got)
	}
	return nil
}

func (w *world) refusedPlacement(code string) error {
	d, err := w.decided()
	if err != nil {
		return err
	}
	if d.Outcome != core.Refused || string(core.CodeOf(d.Err)) != code {
		return fmt.Errorf("want the placement refused with %s, got %s", code, describe(d))
	}
	if st, ok := w.sp.State(d.TaskID); !ok || st != core.Rejected {
		return fmt.Errorf("task %s: a refused pin must end REJECTED, the pool says %v", d.TaskID, st)
	}
	return nil
}
