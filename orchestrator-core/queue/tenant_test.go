package queue_test

import (
	"fmt"
	"slices"
	"testing"

	"pgregory.net/rapid"

	"orchcore.dev/orchestrator-core/queue"
)

// tenantMachine checks round-robin tenant order (OC-CORE-1053) against
// the model on roomy classes, where bursts from several tenants pile up:
// every Peek and Dequeue as the model says, and the bound of 1053 — a
// tenant's oldest task waits at most (active tenants - 1) dispatches of
// its class, active counted when it became its tenant's oldest.
func tenantMachine(t *rapid.T) {
	cfg := queue.Config{Classes: []queue.Class{
		{Name: "rr", Rank: 2, Weight: 1, Capacity: 16, TenantOrder: queue.TenantRoundRobin},
		{Name: "fifo", Rank: 1, Weight: 1, Capacity: 16},
	}}
	q, err := queue.New[int](cfg)
	if err != nil {
		t.Fatal(err)
	}
	m := newModel(cfg)
	// For the bound: per queued id of class rr, the dispatches of rr it may
	// still wait, set when it becomes its tenant's oldest.
	budget := map[string]int{}
	oldestOf := func(tenant string) string {
		for _, it := range m.lists[0] {
			if it.tenant == tenant {
				return it.id
			}
		}
		return ""
	}
	arm := func() { // give each tenant's oldest its allowance, once
		for _, tn := range m.turns[0] {
			if id := oldestOf(tn); id != "" {
				if _, ok := budget[id]; !ok {
					budget[id] = len(m.turns[0]) - 1
				}
			}
		}
	}
	n := 0
	tenants := []string{"a", "b", "c", "d"}
	t.Repeat(map[string]func(*rapid.T){
		"burst": func(t *rapid.T) {
			tn := rapid.SampledFrom(tenants).Draw(t, "tenant")
			class := rapid.SampledFrom([]string{"rr", "fifo"}).Draw(t, "class")
			for range rapid.IntRange(1, 5).Draw(t, "size") {
				n++
				id := fmt.Sprint("t", n)
				want := m.enqueue(id, class, tn, 0)
				got, err := q.Enqueue(id, class, tn, n)
				if err != nil || got.Status != want.status {
					t.Fatalf("Enqueue(%s, %s, %s) = %v %v, model %v", id, class, tn, got.Status, err, want.status)
				}
			}
			arm()
		},
		"dequeue": func(t *rapid.T) {
			ci := rapid.IntRange(0, 1).Draw(t, "class index")
			if len(m.lists[ci]) == 0 {
				t.Skip("empty")
			}
			wantPeek := m.lists[ci][m.front(ci)].id
			if p, _ := q.Peek(ci); p.ID != wantPeek {
				t.Fatalf("Peek(%d) = %s, model %s", ci, p.ID, wantPeek)
			}
			want, _ := m.dequeue(ci)
			got, _ := q.Dequeue(ci)
			if got.ID != want.id {
				t.Fatalf("Dequeue(%d) = %s, model %s", ci, got.ID, want.id)
			}
			if ci == 0 {
				delete(budget, got.ID)
				for id := range budget {
					if budget[id]--; budget[id] < 0 {
						t.Fatalf("%s waited more than (active tenants - 1) dispatches of its class", id)
					}
				}
				arm()
			}
		},
		"cancel": func(t *rapid.T) {
			var ids []string
			for _, l := range m.lists {
				for _, it := range l {
					ids = append(ids, it.id)
				}
			}
			if len(ids) == 0 {
				t.Skip("empty")
			}
			id := rapid.SampledFrom(ids).Draw(t, "id")
			m.cancel(id)
			if _, err := q.Cancel(id); err != nil {
				t.Fatal(err)
			}
			delete(budget, id)
			arm()
		},
		"": func(t *rapid.T) {
			for i := range m.classes {
				if !slices.Equal(m.ids(i), q.IDs(i)) {
					t.Fatalf("class %d: %v, model %v", i, q.IDs(i), m.ids(i))
				}
			}
		},
	})
}

func TestTenantRoundRobin(t *testing.T) {
	t.Attr("req", "OC-CORE-1053")
	t.Attr("req", "OC-CORE-1005")
	rapid.Check(t, tenantMachine)
}
