package core_test

import (
	"fmt"
	"testing"

	"pgregory.net/rapid"

	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/backoff"
	"orchcore.dev/orchestrator-core/internal/proptest"
	"orchcore.dev/orchestrator-core/observe"
	"orchcore.dev/orchestrator-core/queue"
)

// ttlModel is the reference for queue TTLs: each waiting task's deadline
// written out, min(class TTL, task TTL) from admission, or from the
// failure for a retry.
type ttlModel struct {
	classTTL map[string]int64
	deadline map[string]int64 // waiting tasks only (queued or retrying)
	ttl      map[string]int64
	reason   map[string]string
}

func (m *ttlModel) bound(class string, own int64) (int64, string) {
	c := m.classTTL[class]
	if own > 0 && (c == 0 || own < c) {
		return own, core.ReasonTaskTTL
	}
	return c, core.ReasonClassTTL
}

// ttlMachine checks OC-CORE-1050 on a Pool against ttlModel: a task is
// never dispatched at or after its deadline, every waiting task past its
// deadline is EXPIRED after the next Next or Tick, with the TTL that
// fired, and every history is one of OC-CORE-1008's.
//
// mut breaks the pool from outside, to show the property can fail:
// "late" has Next and Tick read a clock one millisecond behind (expiry at
// deadline+1, as a < for <= would do); "own-ignored" admits every task
// without its own TTL; "class-ignored" builds the classes without TTLs.
func ttlMachine(mut string) func(*rapid.T) {
	return func(t *rapid.T) { ttlRun(t, mut) }
}

// lagClock reads behind its clock by one millisecond while lag is set.
type lagClock struct {
	c   *core.ManualClock
	lag bool
}

func (l *lagClock) Now() int64 {
	if l.lag {
		return l.c.Now() - 1
	}
	return l.c.Now()
}

func ttlRun(t *rapid.T, mut string) {
	m := &ttlModel{classTTL: map[string]int64{}, deadline: map[string]int64{}, ttl: map[string]int64{}, reason: map[string]string{}}
	var classes []queue.Class
	for i, name := range []string{"hi", "lo"} {
		ttl := rapid.SampledFrom([]int64{0, 1, 5, 20}).Draw(t, "class ttl")
		m.classTTL[name] = ttl
		if mut == "class-ignored" {
			ttl = 0
		}
		classes = append(classes, queue.Class{Name: name, Rank: 2 - i, Weight: 1, Capacity: 50, TTLMs: ttl})
	}
	rec, clk := &core.Recorder{}, &core.ManualClock{}
	lc := &lagClock{c: clk}
	p, err := core.New(core.Config{ID: "p1", Classes: classes, Observer: rec, Clock: lc, Remember: 1 << 12,
		Retry: backoff.Config{BaseMs: 0, CapMs: 30, MaxRetries: 2, Seed: 1}})
	if err != nil {
		t.Fatal(err)
	}
	seen := 0 // events checked so far
	running := map[string]bool{}
	n := 0
	check := func(t *rapid.T) {
		now := clk.Now()
		evs := rec.Events()
		for _, e := range evs[seen:] {
			switch e.Kind {
			case observe.Dispatched:
				if d, ok := m.deadline[e.TaskID]; ok && d > 0 && d <= e.AtMs {
					t.Fatalf("%s dispatched at %d, deadline %d", e.TaskID, e.AtMs, d)
				}
				delete(m.deadline, e.TaskID)
				running[e.TaskID] = true
			case observe.Expired:
				d, ok := m.deadline[e.TaskID]
				if !ok || d == 0 || d > e.AtMs {
					t.Fatalf("%s expired at %d, model deadline %d (waiting %v)", e.TaskID, e.AtMs, d, ok)
				}
				if e.TTLMs != m.ttl[e.TaskID] || e.Reason != m.reason[e.TaskID] {
					t.Fatalf("%s expired with %s %d, model %s %d", e.TaskID, e.Reason, e.TTLMs, m.reason[e.TaskID], m.ttl[e.TaskID])
				}
				delete(m.deadline, e.TaskID)
			case observe.Failed, observe.Canceled, observe.Completed:
				delete(m.deadline, e.TaskID)
				delete(running, e.TaskID)
			}
		}
		seen = len(evs)
		for id, d := range m.deadline {
			if d > 0 && d <= now {
				t.Fatalf("%s still waiting at %d past its deadline %d", id, now, d)
			}
		}
	}
	t.Repeat(map[string]func(*rapid.T){
		"admit": func(t *rapid.T) {
			n++
			id := fmt.Sprint("t", n)
			class := rapid.SampledFrom([]string{"hi", "lo"}).Draw(t, "class")
			own := rapid.SampledFrom([]int64{0, 0, 1, 3, 10, 40}).Draw(t, "task ttl")
			given := own
			if mut == "own-ignored" {
				given = 0
			}
			if _, err := p.Admit(core.Task{ID: id, Class: class, TTLMs: given}); err != nil {
				t.Fatal(err)
			}
			ttl, why := m.bound(class, own)
			m.ttl[id], m.reason[id] = ttl, why
			m.deadline[id] = 0
			if ttl > 0 {
				m.deadline[id] = clk.Now() + ttl
			}
		},
		"advance": func(t *rapid.T) { clk.Advance(rapid.Int64Range(0, 15).Draw(t, "ms")) },
		"next": func(t *rapid.T) {
			lc.lag = mut == "late"
			next(p)
			lc.lag = false
			check(t)
		},
		"tick": func(t *rapid.T) {
			lc.lag = mut == "late"
			p.Tick()
			lc.lag = false
			check(t)
		},
		"fail": func(t *rapid.T) {
			var ids []string
			for id := range running {
				ids = append(ids, id)
			}
			if len(ids) == 0 {
				t.Skip("nothing running")
			}
			id := rapid.SampledFrom(sortedStrings(ids)).Draw(t, "job")
			if err := p.Fail(id, "X"); err != nil {
				t.Fatal(err)
			}
			delete(running, id)
			if s, _ := p.State(id); s == core.Retrying {
				m.deadline[id] = 0
				if ttl := m.ttl[id]; ttl > 0 {
					m.deadline[id] = clk.Now() + ttl // from the failure
				}
			}
		},
	})
	clk.Advance(1000)
	p.Tick()
	check(t)
	for id := range running {
		p.Complete(id)
	}
	for j, ok := next(p); ok; j, ok = next(p) { // tasks without a TTL
		p.Complete(j.Task.ID)
	}
	if err := core.CheckHistories(rec.Events()); err != nil {
		t.Fatal(err)
	}
}

func sortedStrings(xs []string) []string {
	out := append([]string(nil), xs...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func TestQueueTTL(t *testing.T) {
	t.Attr("req", "OC-CORE-1050")
	t.Attr("req", "OC-CORE-1008")
	rapid.Check(t, ttlMachine(""))
}

// TestTTLPropertyCatchesMutants: expiry one millisecond late, a task's own
// TTL ignored, the class TTL ignored: the property fails each.
func TestTTLPropertyCatchesMutants(t *testing.T) {
	t.Attr("req", "OC-CORE-1050")
	for _, mut := range []string{"late", "own-ignored", "class-ignored"} {
		t.Run(mut, func(t *testing.T) {
			if failed, _ := proptest.Fails(t, ttlMachine(mut)); !failed {
				t.Errorf("the TTL property passed a pool with %s", mut)
			}
		})
	}
}

// TestTTLRules, worked out by hand: a task TTL above the class TTL loses
// to it; a retry's deadline runs from its failure; a negative TTL is
// INVALID_PARAMS; EXPIRED is terminal.
func TestTTLRules(t *testing.T) {
	t.Attr("req", "OC-CORE-1050")
	p, rec, clk := newPool(t, func(c *core.Config) {
		c.Classes[1].TTLMs = 100 // batch
		c.Retry = backoff.Config{BaseMs: 500, CapMs: 500, MaxRetries: 1}
	})
	long := mtask("long")
	long.TTLMs = 1000 // above the class's 100: the class wins
	admit(t, p, long)
	clk.Advance(99)
	p.Tick()
	state(t, p, "long", core.Queued)
	clk.Advance(1) // t=100: the class deadline
	p.Tick()
	state(t, p, "long", core.Expired)
	if ev := lastEvent(rec); ev.Kind != observe.Expired || ev.Reason != core.ReasonClassTTL || ev.TTLMs != 100 || ev.QueueTimeMs != 100 {
		t.Fatalf("expired event %v %s ttl %d q %d", ev.Kind, ev.Reason, ev.TTLMs, ev.QueueTimeMs)
	}
	if !core.Expired.Terminal() {
		t.Fatal("EXPIRED is not terminal")
	}

	// Retry: dispatched at 150, failed at 250; backoff 250..500 ms; the
	// deadline is 250+100 = 350, before the retry is due.
	admit(t, p, mtask("r"))
	clk.Advance(50)
	if _, ok := p.Next(snapOf(rep("r1", 500))); !ok {
		t.Fatal("not dispatched")
	}
	clk.Advance(100)
	if err := p.Fail("r", "ENGINE_ERROR"); err != nil {
		t.Fatal(err)
	}
	clk.Advance(99) // 349
	p.Tick()
	state(t, p, "r", core.Retrying)
	clk.Advance(1) // 350
	p.Tick()
	state(t, p, "r", core.Expired)
	if ev := lastEvent(rec); ev.Kind != observe.Expired || ev.Attempt != 1 || ev.QueueTimeMs != 100 {
		t.Fatalf("retry expired event %v attempt %d q %d", ev.Kind, ev.Attempt, ev.QueueTimeMs)
	}

	bad := mtask("neg")
	bad.TTLMs = -1
	if _, err := p.Admit(bad); core.CodeOf(err) != core.InvalidParams {
		t.Fatalf("negative TTL: %v", err)
	}
	if err := core.CheckHistories(rec.Events()); err != nil {
		t.Fatal(err)
	}
}
