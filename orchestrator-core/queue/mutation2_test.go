package queue_test

// Tests that kill mutants of the second mutation pass (make mutation,
// docs/mutation.md): Oldest's bounds and its difference from Peek under
// tenant round robin, and the names of tenant orders at the bound.

import (
	"errors"
	"testing"

	"orchcore.dev/orchestrator-core/queue"
)

// Oldest reads the head of a class FIFO: none for an index out of range
// (-1 and the first index past the last class) or an empty class, the
// first arrival otherwise, also for class 0 and the last class.
func TestOldestBounds(t *testing.T) {
	t.Attr("req", "OC-CORE-1004")
	q, err := queue.New[int](queue.Config{Classes: three()})
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{-1, 0, 2, 3} {
		if it, ok := q.Oldest(i); ok {
			t.Fatalf("empty queue: Oldest(%d) = %v, want none", i, it)
		}
	}
	for _, e := range [][2]string{{"i1", "interactive"}, {"i2", "interactive"}, {"g1", "background"}} {
		if out, err := q.Enqueue(e[0], e[1], "", 0); err != nil || out.Status != queue.Admitted {
			t.Fatalf("Enqueue %s: %v, %v", e[0], out, err)
		}
	}
	for i, want := range []string{"i1", "", "g1"} { // classes by rank: interactive, batch, background
		it, ok := q.Oldest(i)
		if ok != (want != "") || it.ID != want {
			t.Errorf("Oldest(%d) = %q, %v; want %q", i, it.ID, ok, want)
		}
	}
	for _, i := range []int{-1, 3} {
		if it, ok := q.Oldest(i); ok {
			t.Errorf("Oldest(%d) = %v, want none (out of range)", i, it)
		}
	}
}

// Under round robin, Oldest is the first arrival of the class while Peek
// is the oldest task of the tenant whose turn it is.
func TestOldestUnderRoundRobin(t *testing.T) {
	t.Attr("req", "OC-CORE-1053")
	q, err := queue.New[int](queue.Config{Classes: []queue.Class{
		{Name: "c", Rank: 1, Weight: 1, Capacity: 8, TenantOrder: queue.TenantRoundRobin},
	}})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range [][2]string{{"a1", "A"}, {"b1", "B"}, {"a2", "A"}} {
		if _, err := q.Enqueue(e[0], "c", e[1], 0); err != nil {
			t.Fatal(err)
		}
	}
	if it, ok := q.Dequeue(0); !ok || it.ID != "a1" {
		t.Fatalf("first Dequeue = %q, %v; want a1", it.ID, ok)
	}
	// Queued now: b1 (tenant B, its turn), a2 (tenant A).
	old, ok1 := q.Oldest(0)
	next, ok2 := q.Peek(0)
	if !ok1 || !ok2 || old.ID != "b1" || next.ID != "b1" {
		t.Fatalf("Oldest %q, Peek %q; want b1, b1", old.ID, next.ID)
	}
	if _, err := q.Enqueue("b2", "c", "B", 0); err != nil {
		t.Fatal(err)
	}
	if it, _ := q.Dequeue(0); it.ID != "b1" {
		t.Fatalf("second Dequeue = %q, want b1", it.ID)
	}
	// Queued: a2 (A's turn), b2. Both views name a2; after it, b2.
	if it, _ := q.Dequeue(0); it.ID != "a2" {
		t.Fatalf("third Dequeue = %q, want a2", it.ID)
	}
	if _, err := q.Enqueue("a3", "c", "A", 0); err != nil {
		t.Fatal(err)
	}
	if _, err := q.Enqueue("c1", "c", "C", 0); err != nil {
		t.Fatal(err)
	}
	// Queued: b2, a3, c1; B's turn.
	old, _ = q.Oldest(0)
	next, _ = q.Peek(0)
	if old.ID != "b2" || next.ID != "b2" {
		t.Fatalf("Oldest %q, Peek %q; want b2, b2", old.ID, next.ID)
	}
	q.Dequeue(0)
	q.Dequeue(0) // a3
	if _, err := q.Enqueue("c2", "c", "C", 0); err != nil {
		t.Fatal(err)
	}
	if _, err := q.Enqueue("a4", "c", "A", 0); err != nil {
		t.Fatal(err)
	}
	// Queued: c1, c2, a4; C's turn: Peek c1. Dequeue c1, then A's turn.
	q.Dequeue(0)
	old, _ = q.Oldest(0)
	next, _ = q.Peek(0)
	if old.ID != "c2" || next.ID != "a4" {
		t.Fatalf("Oldest %q, Peek %q; want c2 (first arrival) and a4 (A's turn)", old.ID, next.ID)
	}
}

// Tenant order names at and past the last value.
func TestTenantOrderNamesAtTheBound(t *testing.T) {
	t.Attr("req", "OC-CORE-1053")
	cases := []struct{ got, want string }{
		{queue.TenantFIFO.String(), "fifo"},
		{queue.TenantRoundRobin.String(), "round-robin"},
		{queue.TenantOrder(2).String(), "unknown"},
		{queue.TenantOrder(255).String(), "unknown"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("String() = %q, want %q", c.got, c.want)
		}
	}
}

// Two tenant orders exist; TenantOrder(2) is the first value past them
// and a class carrying it is refused like any other unknown order.
func TestNewRefusesFirstUnknownTenantOrder(t *testing.T) {
	t.Attr("req", "OC-CORE-1053")
	for o, valid := range map[queue.TenantOrder]bool{queue.TenantFIFO: true, queue.TenantRoundRobin: true, 2: false, 3: false} {
		_, err := queue.New[int](queue.Config{Classes: []queue.Class{{Name: "c", Rank: 1, Weight: 1, Capacity: 1, TenantOrder: o}}})
		if got := err == nil; got != valid {
			t.Errorf("New with tenant order %d: err = %v, want valid=%v", o, err, valid)
		}
		if !valid && !errors.Is(err, &queue.Error{Code: queue.Invalid}) {
			t.Errorf("New with tenant order %d: err = %v, want INVALID_PARAMS", o, err)
		}
	}
}
