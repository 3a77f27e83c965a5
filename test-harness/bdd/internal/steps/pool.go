package steps

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"

	"orchcore.dev/contracts/config-schema/config"
	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/guardrails"
	"orchcore.dev/orchestrator-core/observe"
	"orchcore.dev/orchestrator-core/queue"
	"orchcore.dev/orchestrator-core/scheduling"
	"orchcore.dev/test-harness/bdd/internal/sut"
)

// pool is the admission part of a scenario. Configuration steps fill cfg;
// the pool itself is built on first use, so Given steps may come in any
// order before the first When.
type pool struct {
	cfg core.Config
	// doc, when set, is the configuration document the pool is built from
	// (with core.FromConfig) instead of cfg.
	doc   *config.Config
	clock core.ManualClock
	sp    sut.Pool
	rec   recorder

	arrived []string // task ids in arrival order
	admits  map[string]admitted
	order   []core.Job // dispatches, in order
	cancels map[string][]canceled
	// raced holds the result of each cancel of the race scenario.
	raced map[string]core.CancelResult

	// rails runs the guardrails before the pool, as the caller of Admit
	// does while the pool does not take token counts itself.
	rails     guardrails.Guard
	railsOn   bool
	remaining map[string]guardrails.Remaining
}

type admitted struct {
	adm core.Admission
	err error
}

type canceled struct {
	res core.CancelResult
	err error
}

// defaultClasses are the catalog's three classes (interactive > batch >
// background) with weights 3:2:1, each as large as the pool.
func defaultClasses(capacity int) []queue.Class {
	c := max(capacity, 1)
	return []queue.Class{
		{Name: "interactive", Rank: 3, Weight: 3, Capacity: c},
		{Name: "batch", Rank: 2, Weight: 2, Capacity: c},
		{Name: "background", Rank: 1, Weight: 1, Capacity: c},
	}
}

// task is what an arrival step says about a task.
type task struct {
	core.Task
	prompt, maxNew int
	tokens         bool
	seed           uint64
	seeded         bool
}

var modifier = regexp.MustCompile(` of tenant (\S+)| of session (\S+)| with seed (\d+)|( without a seed)| with (\d+) prompt tokens? and (\d+) max new tokens?`)

// parseTask reads the modifiers of an arrival ("of tenant acme with seed 7").
func parseTask(id, class, mods string) (task, error) {
	t := task{Task: core.Task{ID: id, Class: class}}
	for _, m := range modifier.FindAllStringSubmatch(mods, -1) {
		switch {
		case m[1] != "":
			t.Tenant = m[1]
		case m[2] != "":
			t.SessionID = m[2]
		case m[3] != "":
			s, err := strconv.ParseUint(m[3], 10, 64)
			if err != nil {
				return t, err
			}
			t.seed, t.seeded = s, true
		case m[4] != "":
			t.seeded = false // said explicitly; the seed policy assigns one
		case m[5] != "":
			t.prompt, _ = strconv.Atoi(m[5])
			t.maxNew, _ = strconv.Atoi(m[6])
			t.tokens = true
		}
	}
	return t, nil
}

func (w *world) admit(t task) error {
	if _, dup := w.admits[t.ID]; dup {
		return fmt.Errorf("task %s arrived twice in the scenario", t.ID)
	}
	p, err := w.thePool()
	if err != nil {
		return err
	}
	ct, err := w.coreTask(t)
	if err != nil {
		return err
	}
	if w.railsOn {
		r := guardrails.Request{Session: t.SessionID, PromptTokens: int64(t.prompt), MaxNewTokens: int64(t.maxNew)}
		g, err := w.rails.Admit(r, w.clock.Now())
		w.remaining[t.ID] = g.Remaining
		if err != nil {
			w.arrived = append(w.arrived, t.ID)
			w.admits[t.ID] = admitted{err: err}
			return nil
		}
	}
	adm, err := p.Admit(ct)
	w.arrived = append(w.arrived, t.ID)
	w.admits[t.ID] = admitted{adm, err}
	w.tasks[t.ID] = t
	return nil
}

// thePool builds the pool on first use.
func (w *world) thePool() (sut.Pool, error) {
	if w.sp != nil {
		return w.sp, nil
	}
	cfg := w.cfg
	if cfg.ID == "" {
		cfg.ID = "p1"
	}
	if len(cfg.Classes) == 0 {
		cfg.Classes = defaultClasses(cfg.Capacity)
	}
	cfg.Clock = &w.clock
	cfg.Observer = append(observe.Multi{&w.rec}, w.extra...)
	var p sut.Pool
	var err error
	if w.doc != nil {
		p, err = w.sys.FromConfig(w.doc, cfg.ID, core.WithClock(cfg.Clock), core.WithObserver(cfg.Observer))
	} else {
		p, err = w.sys.NewPool(cfg)
	}
	if err != nil {
		return nil, fmt.Errorf("building the pool: %w", err)
	}
	w.sp = p
	return p, nil
}

// configure runs f on the pool configuration; it fails once the pool was
// built, so a scenario cannot silently configure too late.
func (w *world) configure(f func(*core.Config)) error {
	if w.sp != nil {
		return fmt.Errorf("the pool is already in use; configure it before the first task")
	}
	f(&w.cfg)
	return nil
}

// coreTask is the core's view of a task.
func (w *world) coreTask(t task) (core.Task, error) {
	if t.tokens && !w.railsOn {
		return core.Task{}, fmt.Errorf("task %s gives token counts but no guardrail is configured", t.ID)
	}
	return t.Task, nil
}

// refusal returns the code of a refusal and what it names (a quota or a
// budget), whatever part of the core refused.
func refusal(err error) (code, named string, ok bool) {
	var ce *core.Error
	var ge *guardrails.Refusal
	var se *scheduling.Error
	switch {
	case errors.As(err, &ce):
		return string(ce.Code), ce.Quota, true
	case errors.As(err, &ge):
		return ge.Code, ge.Budget, true
	case errors.As(err, &se):
		return se.Code, se.Pool, true
	}
	return "", "", false
}
