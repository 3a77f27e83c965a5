package core_test

import (
	"fmt"
	"slices"
	"testing"

	"pgregory.net/rapid"

	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/backoff"
	"orchcore.dev/orchestrator-core/fairness"
	"orchcore.dev/orchestrator-core/observe"
	"orchcore.dev/orchestrator-core/queue"
)

// preModel is the plain reference of preemption: one slice of ids per
// class (index 0 the highest rank), a state per task, the jobs in flight
// with their dispatch times, the preemption times.
type preModel struct {
	lists    [][]string
	class    map[string]int
	state    map[string]core.State
	attempts map[string]int   // jobs started per task
	at       map[string]int64 // dispatch time of the running job
	stuck    map[string]bool  // no replica serves it
	seed     map[string]uint64
	times    []int64 // preemptions
	retries  int
	max      int
	window   int64
}

// head is the highest-ranked class whose head a full replica blocks.
func (m *preModel) head() int {
	for ci, l := range m.lists {
		if len(l) > 0 && !m.stuck[l[0]] {
			return ci
		}
	}
	return -1
}

// victim is the job to preempt for a head of class hi, written as a
// linear scan: lowest rank strictly below, latest dispatch, larger id.
func (m *preModel) victim(hi int) string {
	best := ""
	for id, s := range m.state {
		if s != core.Dispatched || m.class[id] <= hi {
			continue
		}
		if best == "" || m.class[id] > m.class[best] ||
			m.class[id] == m.class[best] && (m.at[id] > m.at[best] || m.at[id] == m.at[best] && fmt.Sprint(id, "#", m.attempts[id]) > fmt.Sprint(best, "#", m.attempts[best])) {
			best = id
		}
	}
	return best
}

// allows counts the preemptions in (now-window, now].
func (m *preModel) allows(now int64) bool {
	n := 0
	for _, at := range m.times {
		if at > now-m.window {
			n++
		}
	}
	return n < m.max
}

// TestPreemptionMachine runs random admissions, dispatches on a free and
// a full replica, completions, failures, cancels, clock steps and ticks
// against a pool with preemption and the reference: every preemption is
// the one the reference picks (never an equal or higher rank), no window
// holds more than MaxPerWindow, a preempted task comes back first in its
// class with its seed and attempt+1, and every history ends in exactly
// one terminal state.
func TestPreemptionMachine(t *testing.T) {
	t.Attr("req", "OC-CORE-1057")
	t.Attr("req", "OC-CORE-1008")
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 4).Draw(t, "classes")
		cfg := core.Config{ID: "p1", Fairness: fairness.KindWeighted}
		for i := range n {
			cfg.Classes = append(cfg.Classes, queue.Class{Name: fmt.Sprint("c", i), Rank: 10 - i, Weight: 1 + i, Capacity: 6})
		}
		cfg.Retry = backoff.Config{MaxRetries: rapid.IntRange(0, 2).Draw(t, "retries")}
		cfg.Preemption = core.Preemption{Enabled: true, MaxPerWindow: rapid.IntRange(1, 3).Draw(t, "max"),
			WindowMs: rapid.Int64Range(1, 50).Draw(t, "window")}
		rec, clk := &core.Recorder{}, &core.ManualClock{}
		cfg.Observer, cfg.Clock, cfg.Remember = rec, clk, 1<<16
		p, err := core.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		m := &preModel{lists: make([][]string, n), class: map[string]int{}, state: map[string]core.State{},
			attempts: map[string]int{}, at: map[string]int64{}, stuck: map[string]bool{}, seed: map[string]uint64{},
			retries: cfg.Retry.MaxRetries, max: cfg.Preemption.MaxPerWindow, window: cfg.Preemption.WindowMs}
		var ids []string
		retrying := func() bool {
			for _, s := range m.state {
				if s == core.Retrying {
					return true
				}
			}
			return false
		}
		t.Repeat(map[string]func(*rapid.T){
			"admit": func(t *rapid.T) {
				id := fmt.Sprint("t", len(ids))
				ci := rapid.IntRange(0, n-1).Draw(t, "class")
				tk := ctask(id, cfg.Classes[ci].Name)
				stuck := rapid.IntRange(0, 5).Draw(t, "unservable?") == 0
				if stuck {
					tk.Model.ModelID = "unserved"
				}
				a, err := p.Admit(tk)
				if len(m.lists[ci]) >= 6 {
					if core.CodeOf(err) != core.QueueFull {
						t.Fatalf("admit into a full class: %v", err)
					}
					m.state[id] = core.Rejected
					ids = append(ids, id)
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				ids = append(ids, id)
				m.lists[ci] = append(m.lists[ci], id)
				m.class[id], m.state[id], m.stuck[id], m.seed[id] = ci, core.Queued, stuck, a.Seed.Value
			},
			"next free": func(t *rapid.T) {
				if retrying() {
					t.Skip("retries go first; their order is the retry tests' business")
				}
				d, ok := p.Next(free)
				want := slices.ContainsFunc(m.lists, func(l []string) bool { return len(l) > 0 && !m.stuck[l[0]] })
				if ok != want {
					t.Fatalf("Next(free) placed %v, model %v", ok, want)
				}
				if !ok {
					return
				}
				id, ci := d.TaskID, m.class[d.TaskID]
				if len(m.lists[ci]) == 0 || m.lists[ci][0] != id {
					t.Fatalf("dispatched %s, not the head of %v", id, m.lists[ci])
				}
				m.attempts[id]++
				if d.Job.Attempt != m.attempts[id] || d.Job.Seed.Value != m.seed[id] {
					t.Fatalf("%s: attempt %d seed %d, model %d %d", id, d.Job.Attempt, d.Job.Seed.Value, m.attempts[id], m.seed[id])
				}
				m.lists[ci] = m.lists[ci][1:]
				m.state[id], m.at[id] = core.Dispatched, clk.Now()
			},
			"next full": func(t *rapid.T) {
				if retrying() {
					t.Skip("retries go first")
				}
				now := clk.Now()
				hi := m.head()
				v := ""
				if hi >= 0 && m.allows(now) {
					v = m.victim(hi)
				}
				d, ok := p.Next(full)
				if ok {
					t.Fatal("placed on a full replica")
				}
				if v == "" {
					if d.Outcome == core.Preempted {
						t.Fatalf("preempted %s (class %d) for head class %d; the model preempts nothing", d.TaskID, m.class[d.TaskID], hi)
					}
					return
				}
				if d.Outcome != core.Preempted || d.TaskID != v || d.Head != m.lists[hi][0] {
					t.Fatalf("Next(full) = %s %s for %s; model preempts %s for %s", d.Outcome, d.TaskID, d.Head, v, m.lists[hi][0])
				}
				m.times = append(m.times, now)
				ci := m.class[v]
				if m.attempts[v] <= m.retries {
					m.state[v] = core.Queued
					m.lists[ci] = append([]string{v}, m.lists[ci]...)
				} else {
					m.state[v] = core.Failed
				}
			},
			"end": func(t *rapid.T) {
				var running []string
				for _, id := range ids {
					if m.state[id] == core.Dispatched {
						running = append(running, id)
					}
				}
				if len(running) == 0 {
					t.Skip("nothing running")
				}
				id := rapid.SampledFrom(running).Draw(t, "job")
				if rapid.Bool().Draw(t, "fail?") {
					if err := p.Fail(id, "X"); err != nil {
						t.Fatal(err)
					}
					m.state[id] = core.Failed
					if m.attempts[id] <= m.retries {
						m.state[id] = core.Retrying
					}
					return
				}
				if err := p.Complete(id); err != nil {
					t.Fatal(err)
				}
				m.state[id] = core.Completed
			},
			"cancel": func(t *rapid.T) {
				if len(ids) == 0 {
					t.Skip("no task")
				}
				id := rapid.SampledFrom(ids).Draw(t, "id")
				if _, err := p.Cancel(id); err != nil {
					t.Fatal(err)
				}
				switch m.state[id] {
				case core.Queued:
					ci := m.class[id]
					m.lists[ci] = slices.DeleteFunc(m.lists[ci], func(x string) bool { return x == id })
					m.state[id] = core.Canceled
				case core.Dispatched, core.Retrying:
					m.state[id] = core.Canceled
				}
			},
			"clock": func(t *rapid.T) {
				clk.Advance(rapid.Int64Range(1, 30).Draw(t, "ms"))
			},
			"": func(t *rapid.T) {
				for _, id := range ids {
					if s, _ := p.State(id); s != m.state[id] {
						t.Fatalf("State(%s) = %v, model %v", id, s, m.state[id])
					}
				}
				for ci, c := range cfg.Classes {
					if got := p.Queue(c.Name); !slices.Equal(got, m.lists[ci]) && len(got)+len(m.lists[ci]) > 0 {
						t.Fatalf("class %s holds %v, model %v", c.Name, got, m.lists[ci])
					}
				}
			},
		})
		var pre []int64
		for _, e := range rec.Events() {
			if e.Kind != observe.Preempted {
				continue
			}
			pre = append(pre, e.AtMs)
			k := 0
			for _, at := range pre {
				if at > e.AtMs-cfg.Preemption.WindowMs {
					k++
				}
			}
			if k > cfg.Preemption.MaxPerWindow {
				t.Fatalf("%d preemptions in the %d ms up to %d, at most %d allowed", k, cfg.Preemption.WindowMs, e.AtMs, cfg.Preemption.MaxPerWindow)
			}
		}
		for _, id := range ids {
			if s := m.state[id]; s == core.Queued || s == core.Dispatched || s == core.Retrying {
				p.Cancel(id)
			}
		}
		if err := core.CheckHistories(rec.Events()); err != nil {
			t.Fatal(err)
		}
	})
}
