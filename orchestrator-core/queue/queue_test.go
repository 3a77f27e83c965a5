package queue_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"orchcore.dev/orchestrator-core/queue"
)

func three() []queue.Class {
	return []queue.Class{
		{Name: "batch", Rank: 2, Weight: 3, Capacity: 2},
		{Name: "interactive", Rank: 3, Weight: 6, Capacity: 2},
		{Name: "background", Rank: 1, Weight: 1, Capacity: 2},
	}
}

func TestNewValidates(t *testing.T) {
	cases := map[string]queue.Config{
		"no classes":        {},
		"negative capacity": {Classes: three(), Capacity: -1},
		"bad policy":        {Classes: three(), Policy: 7},
		"empty name":        {Classes: []queue.Class{{Rank: 1, Weight: 1, Capacity: 1}}},
		"zero weight":       {Classes: []queue.Class{{Name: "a", Weight: 0, Capacity: 1}}},
		"zero capacity":     {Classes: []queue.Class{{Name: "a", Weight: 1, Capacity: 0}}},
		"negative cap":      {Classes: []queue.Class{{Name: "a", Weight: 1, Capacity: -3}}},
		"duplicate name":    {Classes: []queue.Class{{Name: "a", Rank: 1, Weight: 1, Capacity: 1}, {Name: "a", Rank: 2, Weight: 1, Capacity: 1}}},
		"duplicate rank":    {Classes: []queue.Class{{Name: "a", Rank: 1, Weight: 1, Capacity: 1}, {Name: "b", Rank: 1, Weight: 1, Capacity: 1}}},
		"quota no tenant":   {Classes: three(), Quotas: []queue.Quota{{MaxQueued: 1}}},
		"quota twice":       {Classes: three(), Quotas: []queue.Quota{{Tenant: "a"}, {Tenant: "a"}}},
		"quota negative":    {Classes: three(), Quotas: []queue.Quota{{Tenant: "a", MaxInFlight: -1}}},
		"65 classes":        {Classes: manyClasses(65)},
	}
	for name, cfg := range cases {
		_, err := queue.New[int](cfg)
		if !errors.Is(err, &queue.Error{Code: queue.Invalid}) {
			t.Errorf("%s: New = %v, want INVALID_PARAMS", name, err)
		}
	}
	if _, err := queue.New[int](queue.Config{Classes: manyClasses(64)}); err != nil {
		t.Errorf("64 classes: %v", err)
	}
}

func manyClasses(n int) []queue.Class {
	var cs []queue.Class
	for i := range n {
		cs = append(cs, queue.Class{Name: fmt.Sprint("c", i), Rank: i, Weight: 1, Capacity: 1})
	}
	return cs
}

func TestClassesOrderedByRank(t *testing.T) {
	t.Attr("req", "OC-CORE-1001")
	q, _ := queue.New[int](queue.Config{Classes: three()})
	var names []string
	for _, c := range q.Classes() {
		names = append(names, c.Name)
	}
	if !slices.Equal(names, []string{"interactive", "batch", "background"}) {
		t.Fatalf("classes %v", names)
	}
	if i, ok := q.Class("background"); !ok || i != 2 {
		t.Fatalf("Class(background) = %d, %v", i, ok)
	}
}

// TestBadInputLeavesStateUnchanged: every bad call returns a typed error
// and the queue stays as it was.
func TestBadInputLeavesStateUnchanged(t *testing.T) {
	t.Attr("req", "OC-CORE-1005")
	q, _ := queue.New[int](queue.Config{Classes: three()})
	q.Enqueue("a", "batch", "", 1)
	cases := []struct {
		name string
		call func() error
		code queue.Code
	}{
		{"unknown class", func() error { _, err := q.Enqueue("b", "gold", "", 0); return err }, queue.UnknownClass},
		{"empty id", func() error { _, err := q.Enqueue("", "batch", "", 0); return err }, queue.Invalid},
		{"duplicate", func() error { _, err := q.Enqueue("a", "interactive", "", 0); return err }, queue.DuplicateID},
		{"cancel unknown", func() error { _, err := q.Cancel("zz"); return err }, queue.NotFound},
	}
	for _, c := range cases {
		err := c.call()
		var qe *queue.Error
		if !errors.As(err, &qe) || qe.Code != c.code {
			t.Errorf("%s: %v, want %s", c.name, err, c.code)
		}
		if q.Len() != 1 || !slices.Equal(q.IDs(1), []string{"a"}) {
			t.Errorf("%s changed the queue", c.name)
		}
	}
	if _, ok := q.Dequeue(7); ok {
		t.Error("Dequeue of a missing class succeeded")
	}
	if _, ok := q.Peek(-1); ok {
		t.Error("Peek(-1) succeeded")
	}
	if q.ClassLen(9) != 0 || q.IDs(9) != nil {
		t.Error("out-of-range class reads")
	}
	if it, _ := q.Cancel("a"); it.ID != "a" || it.Value != 1 {
		t.Errorf("Cancel returned %+v", it)
	}
	if _, err := q.Cancel("a"); !errors.Is(err, &queue.Error{Code: queue.NotFound}) {
		t.Errorf("second cancel: %v", err)
	}
}

func TestParsePolicy(t *testing.T) {
	for _, p := range []queue.Policy{queue.Reject, queue.DropLRU, queue.ShedLow} {
		got, err := queue.ParsePolicy(p.String())
		if err != nil || got != p {
			t.Errorf("ParsePolicy(%q) = %v, %v", p.String(), got, err)
		}
	}
	want := []string{"reject", "drop-lru", "shed-low-priority"}
	for i, p := range []queue.Policy{queue.Reject, queue.DropLRU, queue.ShedLow} {
		if p.String() != want[i] {
			t.Errorf("%d.String() = %q", p, p.String())
		}
	}
	if p, err := queue.ParsePolicy(""); err != nil || p != queue.Reject {
		t.Errorf("empty policy: %v %v", p, err)
	}
	if _, err := queue.ParsePolicy("lifo"); !errors.Is(err, &queue.Error{Code: queue.Invalid}) {
		t.Errorf("ParsePolicy(lifo) = %v", err)
	}
}

func TestPeekAndFIFO(t *testing.T) {
	t.Attr("req", "OC-CORE-1003")
	q, _ := queue.New[string](queue.Config{Classes: []queue.Class{{Name: "c", Rank: 1, Weight: 1, Capacity: 100}}})
	for i := range 50 {
		q.Enqueue(fmt.Sprint(i), "c", "", fmt.Sprint("v", i))
	}
	q.Cancel("10")
	q.Cancel("0")
	q.Cancel("49")
	for i := range 50 {
		if i == 0 || i == 10 || i == 49 {
			continue
		}
		p, _ := q.Peek(0)
		it, ok := q.Dequeue(0)
		if !ok || it.ID != fmt.Sprint(i) || it.Value != fmt.Sprint("v", i) || p.ID != it.ID {
			t.Fatalf("dequeue %d: %+v (peek %q)", i, it, p.ID)
		}
	}
	if q.Len() != 0 || q.Backlog() != 0 {
		t.Fatalf("left %d", q.Len())
	}
}

// TestSteadyStateAllocs: once the arena has grown, enqueue+dequeue
// allocates nothing.
func TestSteadyStateAllocs(t *testing.T) {
	t.Attr("req", "OC-CORE-1003")
	ids := make([]string, 64)
	for i := range ids {
		ids[i] = fmt.Sprint("t", i)
	}
	big, _ := queue.New[int](queue.Config{Classes: []queue.Class{{Name: "c", Rank: 1, Weight: 1, Capacity: 1 << 20}}})
	for i := range 32 {
		big.Enqueue(ids[i], "c", "", i)
	}
	i := 32
	allocs := testing.AllocsPerRun(1000, func() {
		big.Enqueue(ids[i%64], "c", "", i)
		big.Dequeue(0)
		i++
	})
	if allocs != 0 {
		t.Fatalf("%.1f allocs per enqueue+dequeue, want 0", allocs)
	}
}

func ExampleQueue_Enqueue() {
	q, _ := queue.New[string](queue.Config{
		Classes: []queue.Class{
			{Name: "interactive", Rank: 3, Weight: 6, Capacity: 2},
			{Name: "background", Rank: 1, Weight: 1, Capacity: 2},
		},
		Capacity: 3,
		Policy:   queue.ShedLow,
	})
	q.Enqueue("g1", "background", "acme", "payload")
	q.Enqueue("g2", "background", "acme", "payload")
	q.Enqueue("i1", "interactive", "acme", "payload")
	out, _ := q.Enqueue("i2", "interactive", "acme", "payload") // pool full
	fmt.Println(out.Status, out.Code, out.Evicted[0].ID)
	out, _ = q.Enqueue("g3", "background", "acme", "payload") // own class full
	fmt.Println(out.Status, out.Code)
	// Output:
	// evicting SHED_LOW_PRIORITY g1
	// refused QUEUE_FULL
}
