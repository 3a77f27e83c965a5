package core_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/fairness"
	"orchcore.dev/orchestrator-core/observe"
	"orchcore.dev/orchestrator-core/queue"
	"orchcore.dev/orchestrator-core/scheduling"
)

func task(id, class string) core.Task {
	return core.Task{ID: id, Class: class, Tenant: "acme", SessionID: "s-" + id}
}

func mustAdmit(t *testing.T, p *core.Pool, ids []string, class string) {
	t.Helper()
	for _, id := range ids {
		if _, err := p.Admit(task(id, class)); err != nil {
			t.Fatalf("Admit(%s): %v", id, err)
		}
	}
}

// TestAdmitPolicies replays the catalog's examples through the Pool and
// checks the typed results and the Dropped events.
func TestAdmitPolicies(t *testing.T) {
	t.Attr("req", "OC-CORE-1002")
	type arrival struct{ id, class string }
	cases := []struct {
		name     string
		policy   queue.Policy
		capacity int
		before   []arrival
		next     arrival
		code     core.Code // refusal, or ""
		evicted  string
		reason   string
	}{
		{"reject full class", queue.Reject, 6, []arrival{{"b1", "batch"}, {"b2", "batch"}}, arrival{"b3", "batch"}, core.QueueFull, "", ""},
		{"reject full pool", queue.Reject, 3, []arrival{{"g1", "background"}, {"g2", "background"}, {"b1", "batch"}}, arrival{"i1", "interactive"}, core.QueueFull, "", ""},
		{"drop-lru own class", queue.DropLRU, 6, []arrival{{"b1", "batch"}, {"b2", "batch"}}, arrival{"b3", "batch"}, "", "b1", "QUEUE_FULL_DROP_LRU"},
		{"drop-lru lowest class", queue.DropLRU, 4, []arrival{{"g1", "background"}, {"g2", "background"}, {"b1", "batch"}, {"b2", "batch"}}, arrival{"i1", "interactive"}, "", "g1", "QUEUE_FULL_DROP_LRU"},
		{"drop-lru evicts a higher class", queue.DropLRU, 2, []arrival{{"i1", "interactive"}, {"i2", "interactive"}}, arrival{"g1", "background"}, "", "i1", "QUEUE_FULL_DROP_LRU"},
		{"shed full own class", queue.ShedLow, 6, []arrival{{"b1", "batch"}, {"b2", "batch"}}, arrival{"b3", "batch"}, core.QueueFull, "", ""},
		{"shed strictly below", queue.ShedLow, 3, []arrival{{"g1", "background"}, {"b1", "batch"}, {"b2", "batch"}}, arrival{"i1", "interactive"}, "", "g1", "SHED_LOW_PRIORITY"},
		{"shed never equal rank", queue.ShedLow, 3, []arrival{{"b1", "batch"}, {"i1", "interactive"}, {"b2", "batch"}}, arrival{"b3", "batch"}, core.QueueFull, "", ""},
		{"shed never higher rank", queue.ShedLow, 3, []arrival{{"i1", "interactive"}, {"b1", "batch"}, {"b2", "batch"}}, arrival{"g1", "background"}, core.QueueFull, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Attr("req", "OC-CORE-1002")
			p, rec, _ := newPool(t, func(cfg *core.Config) { cfg.Admission, cfg.Capacity = c.policy, c.capacity })
			for _, a := range c.before {
				mustAdmit(t, p, []string{a.id}, a.class)
			}
			before := p.Stats().Queued
			a, err := p.Admit(task(c.next.id, c.next.class))
			if got := core.CodeOf(err); got != c.code {
				t.Fatalf("Admit: code %q (%v), want %q", got, err, c.code)
			}
			if strings.Join(a.Evicted, ",") != c.evicted || a.Reason != c.reason {
				t.Fatalf("Admission %+v, want evicted %q reason %q", a, c.evicted, c.reason)
			}
			evs := rec.Events()
			last := evs[len(evs)-1]
			switch {
			case c.code != "":
				if last.Kind != observe.Rejected || last.Reason != string(c.code) || last.Policy != c.policy.String() {
					t.Fatalf("last event %+v, want rejected %s by %s", last, c.code, c.policy)
				}
				if p.Stats().Queued != before {
					t.Fatal("a refusal changed the queue")
				}
			case c.evicted != "":
				drop := evs[len(evs)-2]
				want := observe.Event{Kind: observe.Dropped, TaskID: c.evicted, Reason: c.reason,
					Policy: c.policy.String(), EvictedBy: c.next.id, PoolID: "p1"}
				got := observe.Event{Kind: drop.Kind, TaskID: drop.TaskID, Reason: drop.Reason,
					Policy: drop.Policy, EvictedBy: drop.EvictedBy, PoolID: drop.PoolID}
				if d := cmp.Diff(want, got); d != "" {
					t.Fatalf("dropped event (-want +got):\n%s", d)
				}
				if s, _ := p.State(c.evicted); s != core.Dropped {
					t.Fatalf("evicted task state %v", s)
				}
			}
		})
	}
}

func TestAdmitBadInput(t *testing.T) {
	t.Attr("req", "OC-CORE-1001")
	p, rec, _ := newPool(t, nil)
	mustAdmit(t, p, []string{"x"}, "batch")
	n := len(rec.Events())
	cases := []struct {
		task   core.Task
		code   core.Code
		events int // events the refusal adds
	}{
		{core.Task{ID: "", Class: "batch"}, core.InvalidParams, 0},
		{core.Task{ID: "x", Class: "batch"}, core.DuplicateID, 0},
		{core.Task{ID: "y", Class: "gold"}, core.UnknownClass, 1},
	}
	for _, c := range cases {
		_, err := p.Admit(c.task)
		var e *core.Error
		if !errors.As(err, &e) || e.Code != c.code {
			t.Errorf("Admit(%+v) = %v, want %s", c.task, err, c.code)
		}
		if !errors.Is(err, &core.Error{Code: c.code}) || errors.Is(err, &core.Error{Code: core.NotFound}) {
			t.Errorf("errors.Is does not compare codes for %v", err)
		}
		if got := len(rec.Events()) - n; got != c.events {
			t.Errorf("Admit(%+v) emitted %d events, want %d", c.task, got, c.events)
		}
		n = len(rec.Events())
	}
	if got := p.Queue("batch"); !slices.Equal(got, []string{"x"}) {
		t.Errorf("batch queue %v", got)
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	cases := map[string]func(*core.Config){
		"no classes":         func(c *core.Config) { c.Classes = nil },
		"negative capacity":  func(c *core.Config) { c.Capacity = -1 },
		"zero weight":        func(c *core.Config) { c.Classes[0].Weight = 0 },
		"zero class cap":     func(c *core.Config) { c.Classes[1].Capacity = 0 },
		"duplicate class":    func(c *core.Config) { c.Classes[1].Name = c.Classes[0].Name },
		"duplicate rank":     func(c *core.Config) { c.Classes[1].Rank = c.Classes[0].Rank },
		"negative quota":     func(c *core.Config) { c.Quotas = []queue.Quota{{Tenant: "a", MaxQueued: -1}} },
		"unknown fairness":   func(c *core.Config) { c.Fairness = "lottery" },
		"unknown admission":  func(c *core.Config) { c.Admission = 9 },
		"negative remember":  func(c *core.Config) { c.Remember = -1 },
		"huge remember":      func(c *core.Config) { c.Remember = 1 << 40 }, // the ring is allocated up front
		"remember over max":  func(c *core.Config) { c.Remember = core.MaxRemember + 1 },
		"quota empty tenant": func(c *core.Config) { c.Quotas = []queue.Quota{{MaxQueued: 1}} },
	}
	for name, mod := range cases {
		cfg := core.Config{Classes: classes(2)}
		mod(&cfg)
		if _, err := core.New(cfg); core.CodeOf(err) != core.InvalidParams {
			t.Errorf("%s: New = %v, want INVALID_PARAMS", name, err)
		}
	}
}

func TestCancel(t *testing.T) {
	t.Attr("req", "OC-CORE-1005")
	p, rec, _ := newPool(t, func(c *core.Config) { c.Classes = classes(10) })
	mustAdmit(t, p, []string{"t1", "t2", "t3", "t4"}, "batch")
	steps := []struct {
		id     string
		result core.CancelResult
		code   core.Code
	}{
		{"t2", core.CanceledQueued, ""},
		{"t2", core.AlreadyEnded, ""}, // idempotent
		{"ghost", 0, core.NotFound},
	}
	for _, s := range steps {
		r, err := p.Cancel(s.id)
		if r != s.result || core.CodeOf(err) != s.code {
			t.Fatalf("Cancel(%s) = %v, %v; want %v, %q", s.id, r, err, s.result, s.code)
		}
	}
	var order []string
	for {
		j, ok := next(p)
		if !ok {
			break
		}
		order = append(order, j.Task.ID)
	}
	if !slices.Equal(order, []string{"t1", "t3", "t4"}) {
		t.Fatalf("dispatch order %v, want t1 t3 t4", order)
	}
	if r, err := p.Cancel("t1"); r != core.AbortedJob || err != nil {
		t.Fatalf("Cancel of a dispatched task = %v, %v", r, err)
	}
	if err := p.Complete("t1"); core.CodeOf(err) != core.InvalidState {
		t.Fatalf("Complete after abort = %v, want INVALID_STATE", err)
	}
	if err := p.Complete("t3"); err != nil {
		t.Fatal(err)
	}
	if r, err := p.Cancel("t3"); r != core.AlreadyEnded || err != nil {
		t.Fatalf("Cancel after completion = %v, %v", r, err)
	}
	if s, _ := p.State("t3"); s != core.Completed {
		t.Fatalf("t3 state %v", s)
	}
	if err := p.Fail("t4", "OOM"); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"t1": "[admitted dispatched canceled]", "t2": "[admitted canceled]",
		"t3": "[admitted dispatched completed]", "t4": "[admitted dispatched failed]",
	}
	got := map[string]string{}
	hist := map[string][]string{}
	for _, e := range rec.Events() {
		hist[e.TaskID] = append(hist[e.TaskID], e.Kind.String())
	}
	for id, h := range hist {
		got[id] = "[" + joinSpace(h) + "]"
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("histories (-want +got):\n%s", d)
	}
}

func joinSpace(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += " "
		}
		out += x
	}
	return out
}

func TestEndErrors(t *testing.T) {
	p, _, _ := newPool(t, nil)
	mustAdmit(t, p, []string{"q"}, "batch")
	cases := []struct {
		name string
		err  error
		code core.Code
	}{
		{"complete queued", p.Complete("q"), core.InvalidState},
		{"fail unknown", p.Fail("nope", "X"), core.NotFound},
		{"timeout unknown", p.TimeOut("nope", "WALL"), core.NotFound},
	}
	for _, c := range cases {
		if core.CodeOf(c.err) != c.code {
			t.Errorf("%s: %v, want %s", c.name, c.err, c.code)
		}
	}
	next(p)
	if err := p.TimeOut("q", "IDLE"); err != nil {
		t.Fatal(err)
	}
	if err := p.Complete("q"); core.CodeOf(err) != core.InvalidState {
		t.Errorf("second end: %v, want INVALID_STATE", err)
	}
}

func TestQuotas(t *testing.T) {
	t.Attr("req", "OC-CORE-1009")
	p, rec, _ := newPool(t, func(c *core.Config) {
		c.Classes = classes(10)
		c.Capacity = 0
		c.Quotas = []queue.Quota{{Tenant: "acme", MaxQueued: 2}, {Tenant: "*", MaxInFlight: 1}}
	})
	admit := func(id, tenant string) error {
		_, err := p.Admit(core.Task{ID: id, Class: "batch", Tenant: tenant})
		return err
	}
	quotaOf := func(err error) string {
		var e *core.Error
		if errors.As(err, &e) && e.Code == core.QuotaExceeded {
			return e.Quota
		}
		return ""
	}
	if err := admit("a1", "acme"); err != nil {
		t.Fatal(err)
	}
	if err := admit("a2", "acme"); err != nil {
		t.Fatal(err)
	}
	if q := quotaOf(admit("a3", "acme")); q != "max_queued" {
		t.Fatalf("third acme task: quota %q, want max_queued", q)
	}
	if ev := rec.Events(); ev[len(ev)-1].Kind != observe.Rejected || ev[len(ev)-1].Reason != "QUOTA_EXCEEDED" {
		t.Fatalf("refusal event %+v", ev[len(ev)-1])
	}
	// zeta falls under "*": one in flight.
	if err := admit("z1", "zeta"); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		next(p)
	}
	if q, f := p.Usage("zeta"); q != 0 || f != 1 {
		t.Fatalf("zeta usage %d queued %d in flight", q, f)
	}
	if q := quotaOf(admit("z2", "zeta")); q != "max_inflight" {
		t.Fatalf("zeta at its in-flight limit: quota %q, want max_inflight", q)
	}
	if err := p.Complete("z1"); err != nil {
		t.Fatal(err)
	}
	if err := admit("z3", "zeta"); err != nil {
		t.Fatalf("after completion: %v", err)
	}
	if r, _ := p.Cancel("a1"); r != core.AbortedJob {
		t.Fatalf("cancel a1 = %v", r)
	}
	if _, f := p.Usage("acme"); f != 1 {
		t.Fatalf("acme in flight %d after one abort, want 1", f)
	}
}

func TestDispatchEventFields(t *testing.T) {
	t.Attr("req", "OC-CORE-1004")
	p, rec, clk := newPool(t, nil)
	mustAdmit(t, p, []string{"b1"}, "batch")
	clk.Advance(40)
	mustAdmit(t, p, []string{"i1"}, "interactive")
	clk.Advance(2)
	j, ok := next(p)
	if !ok || j.Task.ID != "i1" || j.QueueTimeMs != 2 || j.DispatchedAt != 42 {
		t.Fatalf("Next = %+v, %v", j, ok)
	}
	j, _ = next(p)
	if j.Task.ID != "b1" || j.QueueTimeMs != 42 {
		t.Fatalf("second Next = %+v", j)
	}
	evs := rec.Events()
	got := evs[len(evs)-1]
	want := observe.Event{Kind: observe.Dispatched, AtMs: 42, TaskID: "b1", JobID: "b1#1", SessionID: "s-b1", Tenant: "acme",
		Class: "batch", PoolID: "p1", ReplicaID: "r0", Engine: "llamacpp", EngineVersion: "b1", SamplerProfileVersion: "s1",
		Seed: fnv64a("p1\x00b1"), Attempt: 1, QueueTimeMs: 42, QueueDepth: 0, ClassDepth: 0,
		EnginePriority: 1, // batch, the second rank, under lower_first
		Placement:      &observe.Placement{CandidatesTotal: 1, CandidatesFeasible: 1}}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("dispatched event (-want +got):\n%s", d)
	}
	if first := evs[0]; first.Kind != observe.Admitted || first.QueueDepth != 1 || first.ClassDepth != 1 {
		t.Fatalf("admitted event %+v", first)
	}
}

func TestStrictPool(t *testing.T) {
	t.Attr("req", "OC-CORE-1004")
	p, _, _ := newPool(t, func(c *core.Config) { c.Fairness = fairness.KindStrict })
	mustAdmit(t, p, []string{"g1", "g2"}, "background")
	mustAdmit(t, p, []string{"b1", "b2"}, "batch")
	mustAdmit(t, p, []string{"i1"}, "interactive")
	var order []string
	for j, ok := next(p); ok; j, ok = next(p) {
		order = append(order, j.Task.ID)
	}
	if !slices.Equal(order, []string{"i1", "b1", "b2", "g1", "g2"}) {
		t.Fatalf("strict order %v", order)
	}
}

func TestAdmissionShare(t *testing.T) {
	t.Attr("req", "OC-CORE-1007")
	p, _, _ := newPool(t, func(c *core.Config) { c.Classes = classes(10); c.Capacity = 0 })
	mustAdmit(t, p, []string{"i1", "i2", "i3"}, "interactive")
	mustAdmit(t, p, []string{"g1"}, "background")
	next(p)
	st := p.Stats()
	got := map[string][2]float64{}
	for _, c := range st.Classes {
		got[c.Class] = [2]float64{c.AdmissionShare, c.DispatchShare}
	}
	want := map[string][2]float64{"interactive": {0.75, 1}, "batch": {0, 0}, "background": {0.25, 0}}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("shares (-want +got):\n%s", d)
	}
	if st.Queued != 3 || st.InFlight != 1 || st.Classes[0].Class != "interactive" {
		t.Fatalf("stats %+v", st)
	}
}

func TestRememberIsBounded(t *testing.T) {
	t.Attr("req", "OC-CORE-1005")
	p, _, _ := newPool(t, func(c *core.Config) { c.Remember, c.Classes = 2, classes(10) })
	mustAdmit(t, p, []string{"a", "b", "c"}, "batch")
	for _, id := range []string{"a", "b", "c"} {
		if _, err := p.Cancel(id); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := p.Cancel("a"); core.CodeOf(err) != core.NotFound {
		t.Fatalf("forgotten id: %v, want NOT_FOUND", err)
	}
	if r, _ := p.Cancel("c"); r != core.AlreadyEnded {
		t.Fatalf("remembered id: %v", r)
	}
	if _, err := p.Admit(task("c", "batch")); core.CodeOf(err) != core.DuplicateID {
		t.Fatalf("reusing a remembered id: %v", err)
	}
	if _, err := p.Admit(task("a", "batch")); err != nil {
		t.Fatalf("reusing a forgotten id: %v", err)
	}
}

// TestWeightedPoolOrder: the default weights 6:3:1 give periods 2, 4 and
// 10; the order below was worked out by hand from the rule on
// fairness.Weighted (earliest unserved window first, then smooth round
// robin for spare dispatches).
func TestWeightedPoolOrder(t *testing.T) {
	t.Attr("req", "OC-CORE-1006")
	p, _, _ := newPool(t, func(c *core.Config) { c.Classes = classes(20); c.Capacity = 0 })
	for i := range 12 {
		for _, c := range []string{"interactive", "batch", "background"} {
			mustAdmit(t, p, []string{fmt.Sprint(c, i)}, c)
		}
	}
	var got []byte
	for range 11 {
		j, _ := next(p)
		got = append(got, map[string]byte{"interactive": 'i', "batch": 'b', "background": 'g'}[j.Task.Class])
	}
	if string(got) != "ibigibiiibi" {
		t.Fatalf("class order %s, want ibigibiiibi", got)
	}
}

// TestNextUnplacedKeepsQueue: a head that cannot be placed stays at the
// head of its class, with one no_capacity event per Next, and does not
// hold back the other classes; within a class the order stays FIFO.
func TestNextUnplacedKeepsQueue(t *testing.T) {
	t.Attr("req", "OC-CORE-1004")
	t.Attr("req", "OC-CORE-1006")
	p, rec, _ := newPool(t, nil)
	mustAdmit(t, p, []string{"b1", "b2"}, "batch")
	i1 := core.Task{ID: "i1", Class: "interactive", Tenant: "t", Model: scheduling.Request{ModelID: "mistral"}}
	admit(t, p, i1) // wide's replica serves no model "mistral"
	full := wide
	full.Replicas = []scheduling.Replica{wide.Replicas[0]}
	full.Replicas[0].SlotsTotal, full.Replicas[0].ActiveSlots = 1, 1
	for range 2 {
		n := len(rec.Events())
		d, ok := p.Next(full)
		if ok || d.Outcome != core.Unplaced || d.TaskID != "i1" || d.Reason != "ENGINE_MISMATCH" {
			t.Fatalf("Next on a full replica = %+v, %v", d, ok)
		}
		// Each head tried once: i1 (the fairness pick), then b1.
		got := noCapacity(rec.Events()[n:])
		if want := []string{"i1 ENGINE_MISMATCH", "b1 NO_CAPACITY"}; !slices.Equal(got, want) {
			t.Fatalf("no_capacity events %v, want %v", got, want)
		}
	}
	for _, want := range []string{"b1", "b2"} {
		n := len(rec.Events())
		d, ok := p.Next(wide)
		if !ok || d.Job.Task.ID != want || d.Job.Replica != "r0" || d.Job.ID != want+"#1" {
			t.Fatalf("Next = %+v, %v; want %s placed past the unplaceable i1", d, ok, want)
		}
		if got := noCapacity(rec.Events()[n:]); !slices.Equal(got, []string{"i1 ENGINE_MISMATCH"}) {
			t.Fatalf("no_capacity events %v", got)
		}
		if q := p.Queue("interactive"); !slices.Equal(q, []string{"i1"}) {
			t.Fatalf("interactive holds %v, want [i1]", q)
		}
	}
	if d, ok := p.Next(wide); ok || d.Outcome != core.Unplaced || d.TaskID != "i1" {
		t.Fatalf("Next = %+v, %v", d, ok)
	}
	if st := p.Stats(); st.Queued != 1 || st.Classes[0].Dispatched != 0 || st.Classes[1].Dispatched != 2 {
		t.Fatalf("stats %+v", st)
	}
	evs := rec.Events()
	if err := core.CheckHistories(append(evs, observe.Event{Kind: observe.Completed, TaskID: "b1"},
		observe.Event{Kind: observe.Completed, TaskID: "b2"}, observe.Event{Kind: observe.Canceled, TaskID: "i1"})); err != nil {
		t.Fatalf("no_capacity must not break a history: %v", err)
	}
}

// noCapacity lists the no_capacity events of evs as "task reason".
func noCapacity(evs []observe.Event) []string {
	var out []string
	for _, e := range evs {
		if e.Kind == observe.NoCapacity {
			out = append(out, e.TaskID+" "+e.Reason)
		}
	}
	return out
}
