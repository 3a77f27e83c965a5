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
