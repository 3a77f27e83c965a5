package queue_test

import (
	"errors"
	"slices"
	"testing"

	"orchcore.dev/orchestrator-core/queue"
)

// drain dequeues class ci until it is empty and returns the ids in order.
func drain(q *queue.Queue[int], ci int) []string {
	var ids []string
	for {
		it, ok := q.Dequeue(ci)
		if !ok {
			return ids
		}
		ids = append(ids, it.ID)
	}
}

// TestPushFront: a task put back comes out first, the others in their
// order behind it; the class may exceed its capacity by it, a later
// admission then finds the class full; Oldest skips the tasks put back;
// bad input changes nothing.
func TestPushFront(t *testing.T) {
	t.Attr("req", "OC-CORE-1057")
	q, err := queue.New[int](queue.Config{Classes: []queue.Class{{Name: "c", Rank: 1, Weight: 1, Capacity: 2}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"a", "b"} {
		if out, err := q.Enqueue(id, "c", "", 0); err != nil || out.Status != queue.Admitted {
			t.Fatalf("enqueue %s: %v %v", id, out.Status, err)
		}
	}
	if err := q.PushFront("x", "", 0, 5, 7); err != nil {
		t.Fatalf("PushFront into a full class: %v", err)
	}
	if err := q.PushFront("y", "", 0, 0, 8); err != nil {
		t.Fatal(err)
	}
	if q.Len() != 4 || q.ClassLen(0) != 4 || q.Tokens() != 5 {
		t.Fatalf("len %d class %d tokens %d, want 4 4 5", q.Len(), q.ClassLen(0), q.Tokens())
	}
	if it, _ := q.Peek(0); it.ID != "y" || it.Value != 8 {
		t.Fatalf("Peek = %s, want the last one put back, y", it.ID)
	}
	if it, _ := q.Oldest(0); it.ID != "a" {
		t.Fatalf("Oldest = %s, want a (the earliest arrival not put back)", it.ID)
	}
	if out, _ := q.Enqueue("n", "c", "", 0); out.Status != queue.Refused || out.Code != queue.QueueFull {
		t.Fatalf("admission into the over-full class: %v %s, want refused QUEUE_FULL", out.Status, out.Code)
	}
	bad := []struct {
		id   string
		ci   int
		cost int64
		code queue.Code
	}{{"", 0, 0, queue.Invalid}, {"z", 1, 0, queue.UnknownClass}, {"z", -1, 0, queue.UnknownClass},
		{"z", 0, -1, queue.Invalid}, {"a", 0, 0, queue.DuplicateID}}
	for _, b := range bad {
		if err := q.PushFront(b.id, "", b.ci, b.cost, 0); !errors.Is(err, &queue.Error{Code: b.code}) {
			t.Errorf("PushFront(%q, %d, %d) = %v, want %s", b.id, b.ci, b.cost, err, b.code)
		}
	}
	if q.Len() != 4 {
		t.Fatalf("bad input changed the queue: len %d", q.Len())
	}
	if got, want := drain(q, 0), []string{"y", "x", "a", "b"}; !slices.Equal(got, want) {
		t.Fatalf("order %v, want %v", got, want)
	}
	if _, ok := q.Oldest(0); ok || q.Tokens() != 0 {
		t.Fatal("an empty class has an oldest task or tokens")
	}
	// Only tasks put back: Oldest sees none, Peek sees them.
	if err := q.PushFront("p", "", 0, 0, 0); err != nil {
		t.Fatal(err)
	}
	if _, ok := q.Oldest(0); ok {
		t.Fatal("Oldest returned a task that was put back")
	}
	if it, err := q.Cancel("p"); err != nil || it.ID != "p" {
		t.Fatalf("cancel of a task put back: %v", err)
	}
	if err := q.PushFront("p", "", 0, 0, 0); err != nil { // the count of tasks put back went down with the cancel
		t.Fatal(err)
	}
	if _, err := q.Enqueue("q", "c", "", 0); err != nil {
		t.Fatal(err)
	}
	if it, ok := q.Oldest(0); !ok || it.ID != "q" {
		t.Fatalf("Oldest = %v %v, want q", it.ID, ok)
	}
}

// TestPushFrontRoundRobin: under round robin the task put back is served
// next, and the rotation then goes on where it was.
func TestPushFrontRoundRobin(t *testing.T) {
	t.Attr("req", "OC-CORE-1057")
	q, err := queue.New[int](queue.Config{Classes: []queue.Class{
		{Name: "c", Rank: 1, Weight: 1, Capacity: 10, TenantOrder: queue.TenantRoundRobin}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range [][2]string{{"a1", "A"}, {"b1", "B"}, {"c1", "C"}, {"a2", "A"}, {"c2", "C"}} {
		if _, err := q.Enqueue(e[0], "c", e[1], 0); err != nil {
			t.Fatal(err)
		}
	}
	// The rotation is A, B, C with A's turn. Put back a task of C (whose
	// turn is last) and one of a new tenant D.
	if err := q.PushFront("c0", "C", 0, 0, 0); err != nil {
		t.Fatal(err)
	}
	if it, _ := q.Dequeue(0); it.ID != "c0" {
		t.Fatalf("first = %s, want c0 (put back)", it.ID)
	}
	if err := q.PushFront("d0", "D", 0, 0, 0); err != nil {
		t.Fatal(err)
	}
	want := []string{"d0", "a1", "b1", "c1", "a2", "c2"}
	if got := drain(q, 0); !slices.Equal(got, want) {
		t.Fatalf("order %v, want %v", got, want)
	}
}
