package steps

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"

	"github.com/cucumber/godog"

	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/determinism"
)

// det is the determinism part of a scenario.
type det struct {
	reg    *determinism.Registry
	regErr error
	key    string
	runs   [][]string
	// replayed is how many arrivals each replay run makes.
	replayed int
}

func (w *world) determinismSteps(sc *godog.ScenarioContext) {
	sc.Step(`^replica (\w+) founds replica set (\w+) with engine_version (\S+), sampler profile (\S+) and model digest (\S+)$`,
		func(r, set, ev, sp, md string) error {
			return w.registry().Register(r, set, versions(ev, sp, md))
		})
	sc.Step(`^replica (\w+) with engine_version (\S+), sampler profile (\S+) and model digest (\S+) joins (\w+)$`,
		func(r, ev, sp, md, set string) {
			w.regErr = w.registry().Register(r, set, versions(ev, sp, md))
		})
	sc.Step(`^the registration is accepted$`, func() error { return w.regErr })
	sc.Step(`^the registration is refused naming (\w+)$`, w.registrationRefused)
	sc.Step(`^the replica set is derived for engine_version (\S+), sampler profile (\S+) and model digest (\S+)$`,
		func(ev, sp, md string) { w.key = determinism.Key(versions(ev, sp, md)) })
	sc.Step(`^it is (the same|a different) replica set as (\w+)'s$`, w.sameSet)

	sc.Step(`^the same (\d+) arrivals are replayed in two fresh pools$`, w.replayTwice)
	sc.Step(`^both runs make the same sequence of decisions$`, w.sameDecisions)
	sc.Step(`^a run with the replicas listed in reverse order makes them too$`, w.reversedRun)

	sc.Step(`^the dispatch envelope of (\w+) carries seed (\d+)$`, w.carriesSeed)
	sc.Step(`^the dispatch envelope of (\w+) carries the assigned seed$`, w.assignedSeed)
	sc.Step(`^the same task in a fresh pool is assigned the same seed$`, w.sameSeedAgain)

	sc.Step(`^two replicas of one replica set$`, w.twoReplicas)
	sc.Step(`^the same prompt, parameters and seed (\d+) are sent to both$`,
		func(ctx context.Context, seed int64) error { return w.sendBoth(ctx, seed) })
	sc.Step(`^both token streams are identical$`, w.identicalStreams)
	sc.Step(`^seed (\d+) gives the first replica a different stream$`,
		func(ctx context.Context, seed int64) error { return w.otherSeed(ctx, seed) })
	sc.After(func(ctx context.Context, _ *godog.Scenario, _ error) (context.Context, error) {
		w.closeEngines()
		return ctx, nil // a step error already fails the scenario
	})
}

func versions(ev, sp, md string) determinism.Versions {
	return determinism.Versions{Engine: "llamacpp", EngineVersion: ev, SamplerProfileVersion: sp, ModelDigest: md}
}

func (w *world) registry() *determinism.Registry {
	if w.reg == nil {
		w.reg = determinism.NewRegistry()
	}
	return w.reg
}

func (w *world) registrationRefused(field string) error {
	var e *determinism.Error
	if !errors.As(w.regErr, &e) {
		return fmt.Errorf("want a refusal naming %s, got %v", field, w.regErr)
	}
	if e.Field != field {
		return fmt.Errorf("want the refusal to name %s, got %s (%v)", field, e.Field, e)
	}
	return nil
}

func (w *world) sameSet(which, replica string) error {
	set, ok := w.registry().SetOf(replica)
	if !ok {
		return fmt.Errorf("replica %s is in no set", replica)
	}
	v, _ := w.registry().Versions(set)
	same := determinism.Key(v) == w.key
	if same != (which == "the same") {
		return fmt.Errorf("want %s set, got key %s for %s's set and %s derived", which, determinism.Key(v), replica, w.key)
	}
	return nil
}

// envelope is the seed that every job of the task was dispatched with;
// the jobs (first attempt and retries) must agree.
func (w *world) envelope(id string) (determinism.Seed, error) {
	var seeds []determinism.Seed
	for _, j := range w.order {
		if j.Task.ID == id {
			seeds = append(seeds, j.Seed)
		}
	}
	if len(seeds) == 0 {
		return determinism.Seed{}, fmt.Errorf("task %s was not dispatched", id)
	}
	for _, s := range seeds[1:] {
		if s != seeds[0] {
			return s, fmt.Errorf("the jobs of task %s ran with different seeds: %+v", id, seeds)
		}
	}
	return seeds[0], nil
}

func (w *world) carriesSeed(id string, want uint64) error {
	s, err := w.envelope(id)
	if err != nil {
		return err
	}
	if s.Value != want || s.Assigned {
		return fmt.Errorf("task %s: want client seed %d, got %d (assigned=%v)", id, want, s.Value, s.Assigned)
	}
	return w.eventSeeds(id, want)
}

// assignedSeed checks the documented rule: FNV-1a 64 of pool id, a zero
// byte and task id, computed here with the standard library.
func (w *world) assignedSeed(id string) error {
	s, err := w.envelope(id)
	if err != nil {
		return err
	}
	h := fnv.New64a()
	h.Write([]byte(w.poolID()))
	h.Write([]byte{0})
	h.Write([]byte(id))
	if !s.Assigned || s.Value != h.Sum64() {
		return fmt.Errorf("task %s: want assigned seed %d, got %d (assigned=%v)", id, h.Sum64(), s.Value, s.Assigned)
	}
	return w.eventSeeds(id, h.Sum64())
}

// eventSeeds checks that every event of the task records the seed.
func (w *world) eventSeeds(id string, want uint64) error {
	for _, e := range w.rec.of(id) {
		if e.Seed != want {
			return fmt.Errorf("task %s: the %s event records seed %d, want %d", id, e.Kind, e.Seed, want)
		}
	}
	return nil
}

// sameSeedAgain admits every dispatched task again in a fresh pool of
// the same system and compares the seeds of the jobs.
func (w *world) sameSeedAgain() error {
	if len(w.order) == 0 {
		return fmt.Errorf("nothing was dispatched")
	}
	fresh := w.fresh()
	for _, j := range w.order {
		if err := fresh.admit(j.Task); err != nil {
			return err
		}
	}
	if err := fresh.take(len(w.order)); err != nil {
		return err
	}
	for _, j := range w.order {
		s, err := fresh.envelope(j.Task.ID)
		if err != nil {
			return fmt.Errorf("in a fresh pool: %w", err)
		}
		if s != j.Seed {
			return fmt.Errorf("task %s: seed %+v, in a fresh pool %+v", j.Task.ID, j.Seed, s)
		}
	}
	return nil
}

// replayTwice runs the same arrivals through two fresh pools of the same
// system. After every third arrival the dispatcher calls Next twice; a
// placement takes a slot and 500 MB of the chosen replica, as the next
// snapshot shows. A run records one line per call of Next.
func (w *world) replayTwice(n int) error {
	if len(w.replicas) == 0 {
		return fmt.Errorf("no replicas in the scenario")
	}
	w.replayed = n
	for range 2 {
		run, err := w.replayOnce(n)
		if err != nil {
			return err
		}
		w.runs = append(w.runs, run)
	}
	return nil
}

func (w *world) replayOnce(n int) ([]string, error) {
	fresh := w.fresh()
	classes := fresh.classNames()
	var out []string
	for i := range n {
		t := newTask(fmt.Sprintf("a%02d", i+1), classes[i%len(classes)])
		if err := fresh.admit(t); err != nil {
			return nil, err
		}
		if i%3 != 2 {
			continue
		}
		for range 2 {
			d, err := fresh.next()
			if err != nil {
				return nil, err
			}
			out = append(out, describe(d))
			if d.Outcome != core.Placed {
				break
			}
			r, err := fresh.replica(d.Job.Replica)
			if err != nil {
				return nil, err
			}
			r.ActiveSlots++
			r.FreeVRAMMB -= 500
		}
	}
	return out, nil
}

func (w *world) sameDecisions() error {
	if len(w.runs) != 2 || len(w.runs[0]) == 0 {
		return fmt.Errorf("want two runs with decisions, got %d runs", len(w.runs))
	}
	if !slices.Equal(w.runs[0], w.runs[1]) {
		for i := range min(len(w.runs[0]), len(w.runs[1])) {
			if w.runs[0][i] != w.runs[1][i] {
				return fmt.Errorf("decision %d differs: %q vs %q", i+1, w.runs[0][i], w.runs[1][i])
			}
		}
		return fmt.Errorf("runs differ in length: %d vs %d", len(w.runs[0]), len(w.runs[1]))
	}
	return nil
}

// reversedRun replays the arrivals once more with the snapshot's replicas
// listed in reverse order, as a restart might list them.
func (w *world) reversedRun() error {
	if len(w.runs) == 0 {
		return fmt.Errorf("no run was made")
	}
	keep := w.replicas
	w.replicas = slices.Clone(keep)
	slices.Reverse(w.replicas)
	run, err := w.replayOnce(w.replayed)
	w.replicas = keep
	if err != nil {
		return err
	}
	w.runs = [][]string{w.runs[0], run}
	return w.sameDecisions()
}
