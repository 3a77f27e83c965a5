package queue_test

// Tests that kill mutants of the mutation pass over issue 14's code
// (make mutation, docs/mutation.md).

import (
	"errors"
	"fmt"
	"testing"

	"orchcore.dev/orchestrator-core/queue"
)

// Cancel finds every queued task, and only those, through any sequence of
// cancels: with hundreds of ids the id index (open addressing, deletion by
// backward shift) has long probe runs, and a cancel in the middle of one
// must leave each later entry reachable from its home slot, including an
// entry that already sits at its home.
func TestCancelFindsEveryTaskAfterManyCancels(t *testing.T) {
	t.Attr("req", "OC-CORE-1005")
	const n = 600
	for seedRound := range 4 { // each queue has its own hash seed
		q, err := queue.New[int](queue.Config{Classes: []queue.Class{{Name: "c", Rank: 1, Weight: 1, Capacity: n}}})
		if err != nil {
			t.Fatal(err)
		}
		id := func(i int) string { return fmt.Sprintf("t%d-%d", seedRound, i) }
		for i := range n {
			if out, err := q.Enqueue(id(i), "c", "", 0); err != nil || out.Status != queue.Admitted {
				t.Fatalf("Enqueue %s: %v, %v", id(i), out, err)
			}
		}
		gone := make([]bool, n)
		for step, i := 0, 0; step < n/2; step++ {
			i = (i + 7919) % n // a fixed order that jumps across the table
			for gone[i] {
				i = (i + 1) % n
			}
			if it, err := q.Cancel(id(i)); err != nil || it.ID != id(i) {
				t.Fatalf("Cancel %s: %v, %v", id(i), it, err)
			}
			gone[i] = true
		}
		for i := range n {
			_, err := q.Cancel(id(i))
			var qe *queue.Error
			switch {
			case gone[i] && (!errors.As(err, &qe) || qe.Code != queue.NotFound):
				t.Fatalf("second Cancel of %s: %v, want NOT_FOUND", id(i), err)
			case !gone[i] && err != nil:
				t.Fatalf("Cancel of queued %s: %v (the index lost it)", id(i), err)
			}
		}
		if l := q.Len(); l != 0 {
			t.Fatalf("Len = %d after cancelling every task, want 0", l)
		}
	}
}

// A class token capacity admits a newcomer that exactly fills it and
// refuses one a token more (policy reject): CapacityTokens 10 holding 8,
// a cost of 2 is admitted, then a cost of 1 is refused with QUEUE_FULL.
func TestClassTokenCapacityAtExactFit(t *testing.T) {
	t.Attr("req", "OC-CORE-1002")
	q, err := queue.New[int](queue.Config{Classes: []queue.Class{
		{Name: "c", Rank: 1, Weight: 1, Capacity: 10, CapacityTokens: 10},
	}})
	if err != nil {
		t.Fatal(err)
	}
	for i, cost := range []int64{4, 4, 2} {
		if out, err := q.EnqueueCost(fmt.Sprint("t", i), "c", "", cost, 0); err != nil || out.Status != queue.Admitted {
			t.Fatalf("EnqueueCost(cost %d) = %v, %v; want admitted (fits exactly at the end)", cost, out, err)
		}
	}
	if out, err := q.EnqueueCost("over", "c", "", 1, 0); err != nil || out.Status == queue.Admitted || out.Code != queue.QueueFull {
		t.Fatalf("EnqueueCost one token over = %v, %v; want QUEUE_FULL", out, err)
	}
}

// shed-low-priority evicts a lower class's tasks when that makes exactly
// enough token room in the pool: CapacityTokens 10 holding a low task of
// 6 and a high one of 4, a high newcomer of 6 fits exactly once the low
// task is shed.
func TestShedLowPriorityAtExactTokenFit(t *testing.T) {
	t.Attr("req", "OC-CORE-1002")
	q, err := queue.New[int](queue.Config{
		Classes: []queue.Class{
			{Name: "high", Rank: 2, Weight: 1, Capacity: 10},
			{Name: "low", Rank: 1, Weight: 1, Capacity: 10},
		},
		CapacityTokens: 10, Policy: queue.ShedLow,
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []struct {
		id, class string
		cost      int64
	}{{"l1", "low", 6}, {"h1", "high", 4}} {
		if out, err := q.EnqueueCost(e.id, e.class, "", e.cost, 0); err != nil || out.Status != queue.Admitted {
			t.Fatalf("EnqueueCost %s: %v, %v", e.id, out, err)
		}
	}
	out, err := q.EnqueueCost("h2", "high", "", 6, 0)
	if err != nil || out.Status != queue.Evicting || len(out.Evicted) != 1 || out.Evicted[0].ID != "l1" {
		t.Fatalf("EnqueueCost h2 (cost 6) = %+v, %v; want admitted, shedding l1", out, err)
	}
	if q.Len() != 2 {
		t.Fatalf("Len = %d, want 2 (h1, h2)", q.Len())
	}
}

// Get returns a queued task by id with its fields, and nothing for an id
// that is not queued (never queued, or cancelled).
func TestGetByID(t *testing.T) {
	t.Attr("req", "OC-CORE-1005")
	q, err := queue.New[int](queue.Config{Classes: three()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := q.EnqueueCost("a", "batch", "ten", 3, 42); err != nil {
		t.Fatal(err)
	}
	if _, err := q.Enqueue("b", "batch", "", 7); err != nil {
		t.Fatal(err)
	}
	it, ok := q.Get("a")
	if !ok || it.ID != "a" || it.Tenant != "ten" || it.Cost != 3 || it.Value != 42 {
		t.Fatalf("Get(a) = %+v, %v; want a (tenant ten, cost 3, value 42)", it, ok)
	}
	if it, ok := q.Get("nope"); ok {
		t.Fatalf("Get(nope) = %+v, want none", it)
	}
	if _, err := q.Cancel("a"); err != nil {
		t.Fatal(err)
	}
	if it, ok := q.Get("a"); ok {
		t.Fatalf("Get(a) after Cancel = %+v, want none", it)
	}
}
