package check_test

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"pgregory.net/rapid"

	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/backoff"
	"orchcore.dev/orchestrator-core/fairness"
	"orchcore.dev/orchestrator-core/observe"
	"orchcore.dev/orchestrator-core/queue"
	"orchcore.dev/orchestrator-core/scheduling"

	"orchcore.dev/test-harness/chaos/check"
	"orchcore.dev/test-harness/chaos/history"
)

// poolRun drives a real core.Pool with random admissions, dispatches,
// completions, failures (with retries), cancels and clock steps, records
// its events as the runner does, and returns the history.
func poolRun(t *rapid.T, kind fairness.Kind) *history.History {
	n := rapid.IntRange(2, 4).Draw(t, "classes")
	var classes []queue.Class
	var hc []history.Class
	for i := range n {
		w := rapid.IntRange(1, 6).Draw(t, fmt.Sprintf("weight%d", i))
		name := fmt.Sprintf("c%d", i)
		classes = append(classes, queue.Class{Name: name, Rank: n - i, Weight: w, Capacity: 1000})
		hc = append(hc, history.Class{Name: name, Rank: n - i, Weight: w})
	}
	quota := rapid.IntRange(0, 3).Draw(t, "max_inflight_a")
	slots := rapid.IntRange(1, 4).Draw(t, "slots")
	retry := backoff.Config{BaseMs: 10, CapMs: 40, MaxRetries: 2, Seed: 5}
	var recs []history.Record
	add := func(r history.Record) {
		r.Seq = int64(len(recs) + 1)
		recs = append(recs, r)
	}
	hdr := &history.Header{Version: history.HeaderVersion, Fairness: string(kind), Classes: hc,
		Retry: history.Retry{BaseMs: 10, CapMs: 40, MaxAttempts: 3, Seed: 5}, Replicas: []string{"r0"}}
	add(history.Record{Type: history.KindRun, Header: hdr})
	clock := &core.ManualClock{}
	var quotas []queue.Quota
	if quota > 0 {
		quotas = []queue.Quota{{Tenant: "a", MaxInFlight: quota}}
	}
	pool, err := core.New(core.Config{ID: "p", Classes: classes, Fairness: kind, Quotas: quotas, Retry: retry,
		Clock: clock, Remember: 1 << 16, Observer: observe.Func(func(e observe.Event) {
			if r, ok := history.FromEvent(e); ok {
				add(r)
			}
		})})
	if err != nil {
		t.Fatal(err)
	}
	var running, ids []string
	next := func() {
		add(history.Record{Type: history.KindNext})
		snap := scheduling.Snapshot{Replicas: []scheduling.Replica{{ID: "r0", PoolID: "p", Engine: "e", EngineVersion: "v",
			SamplerProfileVersion: "s", ModelID: "m", Ready: true, SlotsTotal: slots, ActiveSlots: len(running)}}}
		for {
			d, ok := pool.Next(snap)
			if !ok {
				if d.Outcome == core.Refused {
					continue
				}
				return
			}
			running = append(running, d.Job.Task.ID)
			snap.Replicas[0].ActiveSlots = len(running)
		}
	}
	end := func(i int, fail bool) {
		id := running[i]
		running = append(running[:i], running[i+1:]...)
		if fail {
			pool.Fail(id, "ENGINE_ERROR")
		} else {
			pool.Complete(id)
		}
	}
	t.Repeat(map[string]func(*rapid.T){
		"admit": func(t *rapid.T) {
			id := fmt.Sprintf("t%d", len(ids))
			ids = append(ids, id)
			c := rapid.IntRange(0, n-1).Draw(t, "class")
			ten := rapid.SampledFrom([]string{"a", "b"}).Draw(t, "tenant")
			pool.Admit(core.Task{ID: id, Class: classes[c].Name, Tenant: ten, Model: scheduling.Request{ModelID: "m"}, PromptTokens: 1, MaxNewTokens: 1})
		},
		"next": func(t *rapid.T) { next() },
		"complete": func(t *rapid.T) {
			if len(running) == 0 {
				t.Skip("nothing running")
			}
			end(rapid.IntRange(0, len(running)-1).Draw(t, "job"), false)
			next()
		},
		"fail": func(t *rapid.T) {
			if len(running) == 0 {
				t.Skip("nothing running")
			}
			end(rapid.IntRange(0, len(running)-1).Draw(t, "job"), true)
		},
		"tick": func(t *rapid.T) { clock.Advance(rapid.Int64Range(1, 50).Draw(t, "ms")) },
		"cancel": func(t *rapid.T) {
			if len(ids) == 0 {
				t.Skip("no task")
			}
			id := rapid.SampledFrom(ids).Draw(t, "task")
			res, err := pool.Cancel(id)
			r := history.Record{Type: history.KindClient, Event: "cancel", Task: id, Result: res.String()}
			if err != nil {
				r.Result = string(core.CodeOf(err))
			}
			if res == core.AbortedJob {
				for i, x := range running {
					if x == id {
						running = append(running[:i], running[i+1:]...)
						add(history.Record{Type: history.KindClient, Event: "abort", Task: id})
						break
					}
				}
			}
			add(r)
		},
	})
	// Drain: run everything to its end, retries included.
	for guard := 0; ; guard++ {
		st := pool.Stats()
		if st.Queued+st.InFlight+st.Retrying == 0 {
			break
		}
		if guard > 100000 {
			t.Fatalf("drain does not finish: %+v", st)
		}
		clock.Advance(50)
		next()
		for len(running) > 0 {
			end(0, false)
		}
	}
	e := history.Record{Type: history.KindEnd, Drained: true}
	for _, c := range pool.Stats().Classes {
		e.Stats = append(e.Stats, history.ClassCount{Class: c.Class, Admitted: c.Admitted, Dispatched: c.Dispatched, Share: c.DispatchShare})
	}
	add(e)
	return &history.History{Header: *hdr, Records: recs, End: &recs[len(recs)-1]}
}

// TestCheckersAcceptTheRealPool: on random workloads of the real pool
// with the weighted policy (quota exclusions, retries and cancels
// included), no checker reports anything: the checkers' reference
// models agree with the core, so a finding in a chaos run is not an
// artefact of the checker.
func TestCheckersAcceptTheRealPool(t *testing.T) {
	t.Attr("req", "OC-CHAOS-8002")
	t.Attr("req", "OC-CORE-1006")
	rapid.Check(t, func(t *rapid.T) {
		h := poolRun(t, fairness.KindWeighted)
		for _, f := range []func(*history.History) check.Verdict{check.Lost, check.Fairness, check.Backoff, check.Replicas} {
			if v := f(h); v.Status != check.Pass {
				t.Fatalf("%s: %v", v.Name, v.Findings)
			}
		}
	})
}

// TestCheckersCatchTheStrictPool is the other side: the same property
// over the strict policy must fail (rapid finds a workload in which a
// lower class starves or falls out of its share), so the property above
// is not vacuous.
func TestCheckersCatchTheStrictPool(t *testing.T) {
	t.Attr("req", "OC-CHAOS-8002")
	t.Attr("req", "OC-CORE-1006")
	ft := &failT{name: t.Name()}
	done := make(chan struct{})
	var found string
	go func() {
		defer close(done)
		rapid.Check(ft, func(t *rapid.T) {
			h := poolRun(t, fairness.KindStrict)
			if v := check.Fairness(h); v.Status != check.Pass {
				found = strings.Join(v.Findings, "\n")
				t.Fatalf("fairness: %s", found)
			}
		})
	}()
	<-done
	if !ft.failed {
		t.Fatal("no workload of the strict pool broke the fairness bounds: the property cannot fail")
	}
	if !strings.Contains(found, "starved") && !strings.Contains(found, "out of its share") {
		t.Fatalf("strict pool flagged for something else: %s", found)
	}
}

// failT is a rapid.TB that records failure instead of failing the test.
type failT struct {
	name   string
	failed bool
}

func (f *failT) Helper()               {}
func (f *failT) Name() string          { return f.name }
func (f *failT) Logf(string, ...any)   {}
func (f *failT) Log(...any)            {}
func (f *failT) Skipf(string, ...any)  { runtime.Goexit() }
func (f *failT) Skip(...any)           { runtime.Goexit() }
func (f *failT) SkipNow()              { runtime.Goexit() }
func (f *failT) Errorf(string, ...any) { f.failed = true }
func (f *failT) Error(...any)          { f.failed = true }
func (f *failT) Fatalf(string, ...any) { f.failed = true; runtime.Goexit() }
func (f *failT) Fatal(...any)          { f.failed = true; runtime.Goexit() }
func (f *failT) FailNow()              { f.failed = true; runtime.Goexit() }
func (f *failT) Fail()                 { f.failed = true }
func (f *failT) Failed() bool          { return f.failed }
