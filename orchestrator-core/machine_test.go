package core_test

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/fairness"
	"orchcore.dev/orchestrator-core/internal/proptest"
	"orchcore.dev/orchestrator-core/queue"
)

// poolModel is the plain reference for a Pool: one slice of ids per class,
// a state per task, counts per class, the policies of OC-CORE-1002 written
// out with linear scans.
type poolModel struct {
	classes    []queue.Class // by rank, highest first
	lists      [][]string
	cap        int
	policy     queue.Policy
	quotas     []queue.Quota
	tenant     map[string]string
	stuck      map[string]bool // tasks no replica serves: never placed
	class      map[string]int
	state      map[string]core.State
	admitted   []uint64
	dispatched []uint64
	retries    int            // allowed retries per task (all delays 0)
	attempts   map[string]int // jobs started per task
}

func newPoolModel(cfg core.Config) *poolModel {
	cs := slices.Clone(cfg.Classes)
	slices.SortFunc(cs, func(a, b queue.Class) int { return cmp.Compare(b.Rank, a.Rank) })
	return &poolModel{
		classes: cs, lists: make([][]string, len(cs)), cap: cfg.Capacity, policy: cfg.Admission, quotas: cfg.Quotas,
		tenant: map[string]string{}, stuck: map[string]bool{}, class: map[string]int{}, state: map[string]core.State{},
		admitted: make([]uint64, len(cs)), dispatched: make([]uint64, len(cs)),
		retries: cfg.Retry.MaxRetries, attempts: map[string]int{},
	}
}

func (m *poolModel) total() (n int) {
	for _, l := range m.lists {
		n += len(l)
	}
	return n
}

func (m *poolModel) count(tenant string, s core.State) (n int) {
	for id, st := range m.state {
		if st == s && m.tenant[id] == tenant {
			n++
		}
	}
	return n
}

// quota is tenant's quota, or nil.
func (m *poolModel) quota(tenant string) *queue.Quota {
	var q *queue.Quota
	for i := range m.quotas {
		if m.quotas[i].Tenant == tenant {
			q = &m.quotas[i]
		}
	}
	for i := range m.quotas {
		if q == nil && m.quotas[i].Tenant == "*" {
			q = &m.quotas[i]
		}
	}
	return q
}

// inflight counts tenant's jobs: dispatched or waiting for a retry.
func (m *poolModel) inflight(tenant string) int {
	return m.count(tenant, core.Dispatched) + m.count(tenant, core.Retrying)
}

// full reports tenant at its max_inflight quota: its queued tasks are not
// dispatched (OC-CORE-1009).
func (m *poolModel) full(tenant string) bool {
	q := m.quota(tenant)
	return q != nil && q.MaxInFlight > 0 && m.inflight(tenant) >= q.MaxInFlight
}

func (m *poolModel) quotaRefusal(tenant string) string {
	q := m.quota(tenant)
	switch {
	case q == nil:
		return ""
	case q.MaxQueued > 0 && m.count(tenant, core.Queued) >= q.MaxQueued:
		return "max_queued"
	case q.MaxInFlight > 0 && m.inflight(tenant) >= q.MaxInFlight:
		return "max_inflight"
	}
	return ""
}

// admit returns the expected error code and evicted id.
func (m *poolModel) admit(t core.Task) (core.Code, string) {
	ci := slices.IndexFunc(m.classes, func(c queue.Class) bool { return c.Name == t.Class })
	if _, known := m.state[t.ID]; known {
		return core.DuplicateID, ""
	}
	if ci < 0 {
		return core.UnknownClass, ""
	}
	if m.quotaRefusal(t.Tenant) != "" {
		return core.QuotaExceeded, ""
	}
	classFull := len(m.lists[ci]) >= m.classes[ci].Capacity
	poolFull := m.cap > 0 && m.total() >= m.cap
	evicted := ""
	if classFull || poolFull {
		victim := -1
		for i := len(m.classes) - 1; i >= 0; i-- { // lowest rank first
			if len(m.lists[i]) == 0 {
				continue
			}
			if m.policy == queue.DropLRU && (!classFull || i == ci) ||
				m.policy == queue.ShedLow && !classFull && m.classes[i].Rank < m.classes[ci].Rank {
				victim = i
				break
			}
		}
		if victim < 0 {
			return core.QueueFull, ""
		}
		evicted = m.lists[victim][0]
		m.lists[victim] = m.lists[victim][1:]
		m.state[evicted] = core.Dropped
	}
	m.lists[ci] = append(m.lists[ci], t.ID)
	m.state[t.ID], m.tenant[t.ID], m.class[t.ID] = core.Queued, t.Tenant, ci
	m.stuck[t.ID] = t.Model.ModelID != ""
	m.admitted[ci]++
	return "", evicted
}

// backlog is the set of classes whose head can be dispatched: queued,
// served by a replica, and its tenant below max_inflight. The others are
// skipped and must not hold back these (OC-CORE-1006, 1009).
func (m *poolModel) backlog() (b uint64) {
	for i, l := range m.lists {
		if len(l) > 0 && !m.stuck[l[0]] && !m.full(m.tenant[l[0]]) {
			b |= 1 << i
		}
	}
	return b
}

// retrying returns the first retrying task by id: with every delay 0,
// all retries are due at once and leave in id order.
func (m *poolModel) retrying() string {
	first := ""
	for id, s := range m.state {
		if s == core.Retrying && (first == "" || id < first) {
			first = id
		}
	}
	return first
}

func (m *poolModel) remove(id string) {
	ci := m.class[id]
	m.lists[ci] = slices.DeleteFunc(m.lists[ci], func(x string) bool { return x == id })
}

func genPoolConfig(t *rapid.T) core.Config {
	n := rapid.IntRange(1, 4).Draw(t, "classes")
	ranks := rapid.Permutation([]int{1, 2, 3, 4, 5}).Draw(t, "ranks")
	cfg := core.Config{ID: "p1"}
	for i := range n {
		cfg.Classes = append(cfg.Classes, queue.Class{
			Name: fmt.Sprint("c", ranks[i]), Rank: ranks[i],
			Weight:   rapid.IntRange(1, 5).Draw(t, "weight"),
			Capacity: rapid.IntRange(1, 5).Draw(t, "capacity"),
		})
	}
	cfg.Capacity = rapid.IntRange(0, 10).Draw(t, "pool capacity")
	cfg.Retry.MaxRetries = rapid.IntRange(0, 2).Draw(t, "retries")
	cfg.Admission = rapid.SampledFrom([]queue.Policy{queue.Reject, queue.DropLRU, queue.ShedLow}).Draw(t, "policy")
	cfg.Fairness = rapid.SampledFrom([]fairness.Kind{fairness.KindWeighted, fairness.KindStrict}).Draw(t, "fairness")
	if rapid.Bool().Draw(t, "quotas?") {
		cfg.Quotas = []queue.Quota{{Tenant: "*", MaxQueued: rapid.IntRange(0, 4).Draw(t, "max queued"),
			MaxInFlight: rapid.IntRange(0, 3).Draw(t, "max in flight")}}
	}
	return cfg
}

// TestPoolMatchesModel runs random admissions, dispatches, completions and
// cancels against a Pool and the model, then checks every history.
func TestPoolMatchesModel(t *testing.T) {
	for _, id := range []string{"OC-CORE-1001", "OC-CORE-1002", "OC-CORE-1004", "OC-CORE-1005", "OC-CORE-1006", "OC-CORE-1007", "OC-CORE-1009"} {
		t.Attr("req", id)
	}
	rapid.Check(t, func(t *rapid.T) {
		cfg := genPoolConfig(t)
		rec := &core.Recorder{}
		cfg.Observer, cfg.Remember = rec, 1<<16
		p, err := core.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		m := newPoolModel(cfg)
		weights := make([]int, len(m.classes))
		for i, c := range m.classes {
			weights[i] = c.Weight
		}
		win := proptest.NewWindows(weights)
		var ids []string
		seq := 0
		t.Repeat(map[string]func(*rapid.T){
			"admit": func(t *rapid.T) {
				id := fmt.Sprint("t", seq)
				if len(ids) > 0 && rapid.IntRange(0, 9).Draw(t, "reuse?") == 0 {
					id = rapid.SampledFrom(ids).Draw(t, "reused id")
				} else {
					seq++
				}
				names := []string{"nope"}
				for _, c := range m.classes {
					names = append(names, c.Name)
				}
				task := core.Task{ID: id, Class: rapid.SampledFrom(names).Draw(t, "class"),
					Tenant: rapid.SampledFrom([]string{"a", "b"}).Draw(t, "tenant")}
				if rapid.IntRange(0, 7).Draw(t, "unservable?") == 0 {
					task.Model.ModelID = "unserved" // wide's replica serves no model id
				}
				code, evicted := m.admit(task)
				a, err := p.Admit(task)
				if core.CodeOf(err) != code || strings.Join(a.Evicted, ",") != evicted {
					t.Fatalf("Admit(%+v) = %+v, %v; model %q evicts %q", task, a, err, code, evicted)
				}
				if code != core.DuplicateID {
					ids = append(ids, id)
					if code != "" {
						m.state[id] = core.Rejected
					}
				}
			},
			"next": func(t *rapid.T) {
				b := m.backlog()
				retry := m.retrying()
				j, ok := next(p)
				if ok != (b != 0 || retry != "") {
					t.Fatalf("Next ok=%v with model backlog %b and retry %q", ok, b, retry)
				}
				if !ok {
					return
				}
				if retry != "" { // due retries go first, outside fairness
					if j.Task.ID != retry || j.Attempt != m.attempts[retry]+1 {
						t.Fatalf("Next = %s attempt %d, model retries %s attempt %d", j.Task.ID, j.Attempt, retry, m.attempts[retry]+1)
					}
					m.state[retry] = core.Dispatched
					m.attempts[retry]++
					return
				}
				ci := slices.Index(m.lists[m.class[j.Task.ID]], j.Task.ID)
				k := m.class[j.Task.ID]
				if ci != 0 {
					t.Fatalf("dispatched %s is not the head of its class %v", j.Task.ID, m.lists[k])
				}
				if cfg.Fairness == fairness.KindStrict && k != firstBit(b) {
					t.Fatalf("strict dispatched class %d with backlog %b", k, b)
				}
				if cfg.Fairness != fairness.KindStrict {
					if miss := win.Step(b, k); miss >= 0 {
						t.Fatalf("class %d missed its window", miss)
					}
				}
				m.lists[k] = m.lists[k][1:]
				m.state[j.Task.ID] = core.Dispatched
				m.attempts[j.Task.ID] = 1
				m.dispatched[k]++
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
					err = p.Fail(id, "X")
					m.state[id] = core.Failed
					if m.attempts[id] <= m.retries {
						m.state[id] = core.Retrying
					}
				} else {
					err = p.Complete(id)
					m.state[id] = core.Completed
				}
				if err != nil {
					t.Fatal(err)
				}
			},
			"cancel": func(t *rapid.T) {
				id := rapid.SampledFrom(append([]string{"ghost"}, ids...)).Draw(t, "id")
				r, err := p.Cancel(id)
				want := core.CancelResult(0)
				switch s := m.state[id]; {
				case s == core.Queued:
					want = core.CanceledQueued
					m.remove(id)
					m.state[id] = core.Canceled
				case s == core.Retrying:
					want = core.CanceledQueued
					m.state[id] = core.Canceled
				case s == core.Dispatched:
					want = core.AbortedJob
					m.state[id] = core.Canceled
				case s != 0:
					want = core.AlreadyEnded
				}
				if r != want || (want == 0) != (core.CodeOf(err) == core.NotFound) {
					t.Fatalf("Cancel(%s) = %v, %v; model %v (state %v)", id, r, err, want, m.state[id])
				}
			},
			"": func(t *rapid.T) {
				for _, tn := range []string{"a", "b"} {
					_, f := p.Usage(tn)
					if q := m.quota(tn); q != nil && (f != m.inflight(tn) || q.MaxInFlight > 0 && f > q.MaxInFlight) {
						t.Fatalf("tenant %s: %d in flight, model %d, max_inflight %d", tn, f, m.inflight(tn), q.MaxInFlight)
					}
				}
				st := p.Stats()
				if n := m.count("a", core.Retrying) + m.count("b", core.Retrying); st.Retrying != n {
					t.Fatalf("%d retrying, model %d", st.Retrying, n)
				}
				for i, c := range st.Classes {
					want := core.ClassStats{Class: m.classes[i].Name, Queued: len(m.lists[i]),
						Admitted: m.admitted[i], Dispatched: m.dispatched[i],
						AdmissionShare: share(m.admitted, i), DispatchShare: share(m.dispatched, i)}
					if d := gocmp.Diff(want, c); d != "" {
						t.Fatalf("class stats (-model +pool):\n%s", d)
					}
					if got := p.Queue(c.Class); !slices.Equal(got, m.lists[i]) && len(got)+len(m.lists[i]) > 0 {
						t.Fatalf("class %s holds %v, model %v", c.Class, got, m.lists[i])
					}
				}
				for _, id := range ids {
					if s, _ := p.State(id); s != m.state[id] {
						t.Fatalf("State(%s) = %v, model %v", id, s, m.state[id])
					}
				}
			},
		})
		// Finish everything; then every history must be allowed and end.
		for _, id := range ids {
			if m.state[id] == core.Queued && m.stuck[id] {
				p.Cancel(id)
			}
		}
		for _, id := range ids {
			if m.state[id] == core.Dispatched {
				p.Complete(id)
			}
		}
		for j, ok := next(p); ok; j, ok = next(p) {
			p.Complete(j.Task.ID)
		}
		if err := core.CheckHistories(rec.Events()); err != nil {
			t.Fatal(err)
		}
	})
}

func share(xs []uint64, i int) float64 {
	var sum uint64
	for _, x := range xs {
		sum += x
	}
	if sum == 0 {
		return 0
	}
	return float64(xs[i]) / float64(sum)
}

func firstBit(b uint64) int {
	for i := range 64 {
		if b&(1<<i) != 0 {
			return i
		}
	}
	return -1
}
