package steps

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/cucumber/godog"

	"orchcore.dev/contracts/config-schema/load"

	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/fairness"
	"orchcore.dev/orchestrator-core/observe"
	"orchcore.dev/orchestrator-core/queue"
)

const arrival = `^(?:an? )?([a-z]+) tasks? ([a-z]\w*(?:, [a-z]\w*)*)((?: of tenant \S+| of session \S+| with seed \d+| without a seed| with \d+ prompt tokens? and \d+ max new tokens?| with a TTL of \d+ ms)*) arrives?$`

func (w *world) poolSteps(sc *godog.ScenarioContext) {
	sc.Step(`^the priority classes:$`, w.classes)
	sc.Step(`^a pool with capacity (\d+) and policy (\S+)$`, w.poolWith)
	sc.Step(`^the configuration:$`, w.configDoc)
	sc.Step(`^the pool's classes, highest rank first, are (.+)$`, w.classesAre)
	sc.Step(`^the fairness policy is (weighted|weighted-tokens|strict)$`, func(k string) error {
		return w.configure(func(c *core.Config) { c.Fairness = fairness.Kind(k) })
	})
	sc.Step(`^tenant (\w+) may have at most (\d+) (queued tasks?|in-flight jobs?)$`, func(t string, n int, what string) error {
		return w.quota(t, func(q *queue.Quota) {
			if strings.HasPrefix(what, "queued") {
				q.MaxQueued = n
			} else {
				q.MaxInFlight = n
			}
		})
	})

	sc.Step(arrival, func(class, ids, mods string) error {
		for _, id := range list(ids) {
			t, err := parseTask(id, class, mods)
			if err != nil {
				return err
			}
			if err := w.admit(t); err != nil {
				return err
			}
		}
		return nil
	})
	sc.Step(`^(\d+) ([a-z]+) tasks arrive$`, func(n int, class string) error {
		for i := range n {
			if err := w.admit(newTask(fmt.Sprintf("t%03d", i+1), class)); err != nil {
				return err
			}
		}
		return nil
	})
	sc.Step(`^(\d+) tasks of each class arrive$`, w.eachClass)

	sc.Step(`^tasks? ([\w, ]+) (?:is|are) admitted$`, w.areAdmitted)
	sc.Step(`^task (\w+) is refused with (\w+)(?: naming (\w+))?$`, w.refused)
	sc.Step(`^the admission of (\w+) evicts ([\w, ]+)$`, w.evicts)
	sc.Step(`^task (\w+) ends ([A-Z_]+)(?: with reason (\w+))?$`, w.ends)
	sc.Step(`^tasks ([\w, ]+) end ([A-Z_]+)(?: with reason (\w+))?$`, func(ids, state, reason string) error {
		for _, id := range list(ids) {
			if err := w.ends(id, state, reason); err != nil {
				return err
			}
		}
		return nil
	})
	sc.Step(`^the ([a-z]+) queue holds (.+)$`, w.queueHolds)
	sc.Step(`^the pool holds (\d+) queued tasks?$`, w.poolHolds)
	sc.Step(`^the ([a-z]+) class has a queue TTL of (\d+) ms$`, func(class string, ms int64) error {
		return w.configure(func(*core.Config) {
			if w.classTTL == nil {
				w.classTTL = map[string]int64{}
			}
			w.classTTL[class] = ms
		})
	})
	sc.Step(`^the ([a-z]+) class has a token capacity of (\d+)$`, func(class string, n int64) error {
		return w.configure(func(*core.Config) {
			if w.classTok == nil {
				w.classTok = map[string]int64{}
			}
			w.classTok[class] = n
		})
	})
	sc.Step(`^the ([a-z]+) class serves its tenants round-robin$`, func(class string) error {
		return w.configure(func(*core.Config) {
			if w.classRR == nil {
				w.classRR = map[string]bool{}
			}
			w.classRR[class] = true
		})
	})
	sc.Step(`^the pool keeps at most (\d+) idle sessions$`, func(n int) error {
		return w.configure(func(c *core.Config) { c.Bounds.Sessions = n })
	})
	sc.Step(`^the pool holds (\d+) session accounts$`, func(n int) error {
		p, err := w.thePool()
		if err != nil {
			return err
		}
		if got := p.Stats().Tables.Sessions; got != n {
			return fmt.Errorf("the pool holds %d session accounts, want %d", got, n)
		}
		return nil
	})
	sc.Step(`^the engine runs (lower_first|higher_first) priorities$`, func(pol string) error {
		return w.configure(func(c *core.Config) { c.EnginePriority = core.Polarity(pol) })
	})
	sc.Step(`^job (\w+) runs with engine priority (\d+)$`, func(id string, want int) error {
		for _, j := range w.order {
			if j.Task.ID == id {
				if j.EnginePriority != want {
					return fmt.Errorf("job %s runs with engine priority %d, want %d", id, j.EnginePriority, want)
				}
				return nil
			}
		}
		return fmt.Errorf("task %s was not dispatched", id)
	})
	sc.Step(`^the pool has a token capacity of (\d+)$`, func(n int64) error {
		return w.configure(func(c *core.Config) { c.CapacityTokens = n })
	})
	sc.Step(`^task (\w+) expired after waiting (\d+) ms with a TTL of (\d+) ms$`, w.expired)
	sc.Step(`^task (\w+) is (queued|waiting for a retry)$`, func(id, what string) error {
		p, err := w.thePool()
		if err != nil {
			return err
		}
		want := core.Queued
		if what != "queued" {
			want = core.Retrying
		}
		if got, _ := p.State(id); got != want {
			return fmt.Errorf("task %s is %v, want %v", id, got, want)
		}
		return nil
	})
}

// expired checks the task's EXPIRED event: how long it waited and the TTL
// that fired.
func (w *world) expired(id string, waited, ttl int64) error {
	for _, e := range w.rec.of(id) {
		if e.Kind == observe.Expired {
			if e.QueueTimeMs != waited || e.TTLMs != ttl {
				return fmt.Errorf("task %s expired after %d ms with a TTL of %d ms", id, e.QueueTimeMs, e.TTLMs)
			}
			return nil
		}
	}
	return fmt.Errorf("task %s did not expire: %v", id, w.rec.history(id))
}

func (w *world) classes(t *godog.Table) error {
	var cs []queue.Class
	for _, r := range rows(t) {
		c := queue.Class{Name: r["class"]}
		var err [3]error
		c.Rank, err[0] = strconv.Atoi(r["rank"])
		c.Weight, err[1] = strconv.Atoi(r["weight"])
		c.Capacity, err[2] = strconv.Atoi(r["capacity"])
		for _, e := range err {
			if e != nil {
				return fmt.Errorf("class %s: %w", c.Name, e)
			}
		}
		cs = append(cs, c)
	}
	return w.configure(func(c *core.Config) { c.Classes = cs })
}

func (w *world) poolWith(capacity int, policy string) error {
	pol, err := queue.ParsePolicy(policy)
	if err != nil {
		return err
	}
	return w.configure(func(c *core.Config) { c.Capacity, c.Admission = capacity, pol })
}

func (w *world) quota(tenant string, set func(*queue.Quota)) error {
	return w.configure(func(c *core.Config) {
		for i := range c.Quotas {
			if c.Quotas[i].Tenant == tenant {
				set(&c.Quotas[i])
				return
			}
		}
		q := queue.Quota{Tenant: tenant}
		set(&q)
		c.Quotas = append(c.Quotas, q)
	})
}

// eachClass admits n tasks to every class, interleaved one class after
// another, with ids like interactive-01.
func (w *world) eachClass(n int) error {
	names := w.classNames()
	if len(names) == 0 {
		return fmt.Errorf("the pool has no classes")
	}
	for i := range n {
		for _, c := range names {
			t := newTask(fmt.Sprintf("%s-%02d", c, i+1), c)
			if err := w.admit(t); err != nil {
				return err
			}
			if a := w.admits[t.ID]; a.err != nil {
				return fmt.Errorf("task %s was refused: %v", t.ID, a.err)
			}
		}
	}
	return nil
}

// classNames lists the pool's classes, highest rank first.
func (w *world) classNames() []string {
	var out []string
	if p, err := w.thePool(); err == nil {
		for _, c := range p.Classes() {
			out = append(out, c.Name)
		}
	}
	return out
}

func (w *world) arrivedAs(id string) (admitted, error) {
	a, ok := w.admits[id]
	if !ok {
		return a, fmt.Errorf("task %s never arrived", id)
	}
	return a, nil
}

func (w *world) areAdmitted(ids string) error {
	for _, id := range list(ids) {
		a, err := w.arrivedAs(id)
		if err != nil {
			return err
		}
		if a.err != nil {
			return fmt.Errorf("task %s: want admitted, got %v", id, a.err)
		}
	}
	return nil
}

func (w *world) refused(id, code, quota string) error {
	// quota is the quota or budget the refusal must name, if given.
	a, err := w.arrivedAs(id)
	if err != nil {
		return err
	}
	got, named, ok := refusal(a.err)
	if !ok || got != code || (quota != "" && named != quota) {
		return fmt.Errorf("task %s: want refusal %s %s, got %v", id, code, quota, a.err)
	}
	return nil
}

func (w *world) evicts(id, victim string) error {
	a, err := w.arrivedAs(id)
	if err != nil {
		return err
	}
	if got := strings.Join(a.adm.Evicted, ", "); a.err != nil || got != victim {
		return fmt.Errorf("admission of %s: want eviction of %s, got evicted %q, error %v", id, victim, got, a.err)
	}
	return nil
}

// ends checks the task's one terminal event and, when reason is given,
// its reason; a task the pool still remembers must agree.
func (w *world) ends(id, state, reason string) error {
	p, err := w.thePool()
	if err != nil {
		return err
	}
	var last []observe.Event
	for _, e := range w.rec.of(id) {
		if e.Kind.Terminal() {
			last = append(last, e)
		}
	}
	if len(last) != 1 {
		return fmt.Errorf("task %s: want one terminal event, got %d: %v", id, len(last), w.rec.history(id))
	}
	e := last[0]
	if got := strings.ToUpper(e.Kind.String()); got != state {
		return fmt.Errorf("task %s: want %s, got %s", id, state, got)
	}
	if reason != "" && e.Reason != reason {
		return fmt.Errorf("task %s: want reason %s, got %q", id, reason, e.Reason)
	}
	if got, ok := p.State(id); ok && got.String() != state {
		return fmt.Errorf("task %s: the pool says %v, its events say %s", id, got, state)
	}
	return nil
}

func (w *world) queueHolds(class, ids string) error {
	p, err := w.thePool()
	if err != nil {
		return err
	}
	got, want := p.Queue(class), list(ids)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		return fmt.Errorf("%s queue: want %v, got %v", class, want, got)
	}
	return nil
}

func (w *world) poolHolds(n int) error {
	p, err := w.thePool()
	if err != nil {
		return err
	}
	if got := p.Stats().Queued; got != n {
		return fmt.Errorf("want %d queued tasks, got %d", n, got)
	}
	return nil
}

// configDoc parses a configuration document in strict mode; the pool is
// built from it, as pool p1.
func (w *world) configDoc(doc *godog.DocString) error {
	c, diags, err := load.Parse("scenario.yaml", []byte(doc.Content), load.Strict)
	if err != nil {
		return err
	}
	if load.HasErrors(diags) {
		return fmt.Errorf("the configuration is invalid: %v", diags)
	}
	return w.configure(func(*core.Config) { w.doc = c })
}

func (w *world) classesAre(names string) error {
	p, err := w.thePool()
	if err != nil {
		return err
	}
	var got []string
	for _, c := range p.Classes() {
		got = append(got, c.Name)
	}
	if want := list(names); !slices.Equal(got, want) {
		return fmt.Errorf("want classes %v, got %v", want, got)
	}
	return nil
}
