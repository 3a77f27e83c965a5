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
	order   []core.Job // placed jobs, in order
	cancels map[string][]canceled
	// raced holds the result of each cancel of the race scenario.
	raced map[string]core.CancelResult
	// seen counts the histories of raced tasks over every run of the
	// race; raceRuns is how many runs it took.
	seen     map[string]int
	raceRuns int
	// classTTL is each class's queue TTL, applied when the pool is built
	// (so it works with the default classes too).
	classTTL map[string]int64
	// classTok is each class's token capacity, applied likewise.
	classTok map[string]int64
	// classRR lists the classes that serve tenants in turn.
	classRR map[string]bool
}

// admitted is what Admit answered for one task.
type admitted struct {
	task core.Task
	adm  core.Admission
	err  error
}

// remaining is the session budget the admission decision reported,
// accepted or refused.
func (a admitted) remaining() (guardrails.Remaining, bool) {
	if a.err == nil {
		return a.adm.Remaining, true
	}
	var e *core.Error
	if errors.As(a.err, &e) && e.Remaining != nil {
		return *e.Remaining, true
	}
	return guardrails.Remaining{}, false
}

type canceled struct {
	res core.CancelResult
	err error
}

// defaultClasses are the catalog's three classes (interactive > batch >
// background) with weights 3:2:1, each as large as the pool (or 100 when
// the pool is unbounded).
func defaultClasses(capacity int) []queue.Class {
	c := capacity
	if c <= 0 {
		c = 100
	}
	return []queue.Class{
		{Name: "interactive", Rank: 3, Weight: 3, Capacity: c},
		{Name: "batch", Rank: 2, Weight: 2, Capacity: c},
		{Name: "background", Rank: 1, Weight: 1, Capacity: c},
	}
}

// newTask is a task of class for the default model.
func newTask(id, class string) core.Task {
	return core.Task{ID: id, Class: class, Model: scheduling.Request{ModelID: defaultModel}}
}

var modifier = regexp.MustCompile(` of tenant (\S+)| of session (\S+)| with seed (\d+)|( without a seed)| with (\d+) prompt tokens? and (\d+) max new tokens?| with a TTL of (\d+) ms`)

// parseTask reads the modifiers of an arrival ("of tenant acme with seed 7").
func parseTask(id, class, mods string) (core.Task, error) {
	t := newTask(id, class)
	for _, m := range modifier.FindAllStringSubmatch(mods, -1) {
		var err error
		switch {
		case m[1] != "":
			t.Tenant = m[1]
		case m[2] != "":
			t.SessionID = m[2]
		case m[3] != "":
			t.Seed, err = strconv.ParseUint(m[3], 10, 64)
			t.HasSeed = true
		case m[4] != "":
			t.HasSeed = false // said explicitly; the seed policy assigns one
		case m[5] != "":
			t.PromptTokens, err = strconv.ParseInt(m[5], 10, 64)
			if err == nil {
				t.MaxNewTokens, err = strconv.ParseInt(m[6], 10, 64)
			}
		case m[7] != "":
			t.TTLMs, err = strconv.ParseInt(m[7], 10, 64)
		}
		if err != nil {
			return t, err
		}
	}
	return t, nil
}

// admit offers t to the pool and records the answer, whatever it is.
func (w *world) admit(t core.Task) error {
	if _, dup := w.admits[t.ID]; dup {
		return fmt.Errorf("task %s arrived twice in the scenario", t.ID)
	}
	p, err := w.thePool()
	if err != nil {
		return err
	}
	adm, err := p.Admit(t)
	w.arrived = append(w.arrived, t.ID)
	w.admits[t.ID] = admitted{t, adm, err}
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
	cfg.Classes = append([]queue.Class(nil), cfg.Classes...)
	for i := range cfg.Classes {
		if ttl, ok := w.classTTL[cfg.Classes[i].Name]; ok {
			cfg.Classes[i].TTLMs = ttl
		}
		if tok, ok := w.classTok[cfg.Classes[i].Name]; ok {
			cfg.Classes[i].CapacityTokens = tok
		}
		if w.classRR[cfg.Classes[i].Name] {
			cfg.Classes[i].TenantOrder = queue.TenantRoundRobin
		}
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

// poolID is the id of the scenario's pool.
func (w *world) poolID() string {
	if w.cfg.ID == "" {
		return "p1"
	}
	return w.cfg.ID
}

// refusal returns the code of a refusal and what it names (a quota or a
// budget).
func refusal(err error) (code, named string, ok bool) {
	var e *core.Error
	if !errors.As(err, &e) {
		return "", "", false
	}
	named = e.Quota
	if e.Budget != "" {
		named = e.Budget
	}
	return string(e.Code), named, true
}
