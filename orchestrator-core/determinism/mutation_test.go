package determinism

import (
	"fmt"
	"testing"
)

// Tests written to kill mutants of the bounded idle table (docs/mutation.md).
// They are in the package itself so they can also check that no
// bookkeeping entry outlives what it counts.

var mv = Versions{Engine: "e", EngineVersion: "1", SamplerProfileVersion: "sp", ModelDigest: "d"}

// idle makes set known and idle: one replica joins and leaves it.
func idle(t *testing.T, r *Registry, set string) {
	t.Helper()
	rep := "r-" + set
	if err := r.Register(rep, set, mv); err != nil {
		t.Fatalf("Register(%s, %s): %v", rep, set, err)
	}
	r.Deregister(rep)
}

func pinned(r *Registry, set string) bool {
	_, ok := r.Versions(set)
	return ok
}

// An idle bound of 1 keeps exactly the most recent idle set; the zero
// Registry keeps the default bound, not 1.
func TestIdleBoundIsTheGivenOne(t *testing.T) {
	t.Attr("req", "OC-CORE-1054")
	r := NewBoundedRegistry(1)
	idle(t, r, "a")
	idle(t, r, "b")
	if pinned(r, "a") || !pinned(r, "b") || r.Sets() != 1 {
		t.Fatalf("bound 1: a pinned %v, b pinned %v, sets %d; want false, true, 1", pinned(r, "a"), pinned(r, "b"), r.Sets())
	}
	var z Registry
	for i := range 3 {
		idle(t, &z, fmt.Sprint("s", i))
	}
	if z.Sets() != 3 {
		t.Fatalf("zero Registry kept %d of 3 idle sets; want 3 (bound %d)", z.Sets(), DefaultIdleSets)
	}
}

// A set with a member is never idle, so no number of idle sets evicts it;
// it becomes idle when its last member leaves, not before.
func TestSetWithMembersIsNeverForgotten(t *testing.T) {
	t.Attr("req", "OC-CORE-1054")
	r := NewBoundedRegistry(1)
	for _, rep := range []string{"m1", "m2"} {
		if err := r.Register(rep, "a", mv); err != nil {
			t.Fatal(err)
		}
	}
	idle(t, r, "b")
	idle(t, r, "c")
	if !pinned(r, "a") {
		t.Fatal("set a with two members was forgotten")
	}
	r.Deregister("m1")
	idle(t, r, "d")
	if !pinned(r, "a") {
		t.Fatal("set a with one member left was forgotten")
	}
	r.Deregister("m2")
	if len(r.count) != 0 {
		t.Fatalf("member counts left after every replica left: %v", r.count)
	}
	idle(t, r, "e")
	if pinned(r, "a") {
		t.Fatal("set a without members outlived a newer idle set with bound 1")
	}
}

// Hold pins a set until the matching Release, counted: two Holds need two
// Releases. Nothing is left in the hold table afterwards.
func TestHoldPinsUntilLastRelease(t *testing.T) {
	t.Attr("req", "OC-CORE-1054")
	r := NewBoundedRegistry(1)
	idle(t, r, "a")
	r.Hold("a")
	r.Hold("a")
	idle(t, r, "b")
	if !pinned(r, "a") {
		t.Fatal("held set a was forgotten")
	}
	r.Release("a")
	idle(t, r, "c")
	if !pinned(r, "a") {
		t.Fatal("set a still held once was forgotten after one of two Releases")
	}
	r.Release("a")
	if len(r.held) != 0 {
		t.Fatalf("hold counts left after the last Release: %v", r.held)
	}
	idle(t, r, "d")
	if pinned(r, "a") {
		t.Fatal("released set a outlived a newer idle set with bound 1")
	}
}

// A declared set stays pinned whatever the idle traffic.
func TestDeclaredSetIsNeverForgotten(t *testing.T) {
	t.Attr("req", "OC-CORE-1054")
	r := NewBoundedRegistry(1)
	if err := r.Declare("a", mv); err != nil {
		t.Fatal(err)
	}
	idle(t, r, "b")
	idle(t, r, "c")
	if !pinned(r, "a") || r.Sets() != 2 {
		t.Fatalf("declared a pinned %v, sets %d; want true, 2", pinned(r, "a"), r.Sets())
	}
}
