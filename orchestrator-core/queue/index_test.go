package queue

import (
	"fmt"
	"testing"

	"pgregory.net/rapid"
)

// checkIDs verifies the linear-probing invariant against the reference
// set want (slot -> hash): every entry is reachable from its home without
// crossing an empty entry, every wanted slot is present exactly once, and
// nothing else is.
func checkIDs(ix *ids, want map[int32]uint32) string {
	m := uint32(len(ix.e) - 1)
	seen := map[int32]bool{}
	for p, e := range ix.e {
		if e.x == 0 {
			continue
		}
		x := e.x - 1
		if h, ok := want[x]; !ok || h != e.h || seen[x] {
			return "unexpected or repeated entry"
		}
		seen[x] = true
		for i := e.h & m; i != uint32(p); i = (i + 1) & m {
			if ix.e[i].x == 0 {
				return "entry cut off from its home by an empty slot"
			}
		}
	}
	if len(seen) != len(want) || ix.n != len(want) {
		return "entries missing or count wrong"
	}
	return ""
}

// TestIDIndexProbing runs random inserts and deletes against a map, with
// hashes drawn from a few values near the table's end so that runs
// collide and wrap around, where backward-shift deletion is subtle.
func TestIDIndexProbing(t *testing.T) {
	t.Attr("req", "OC-CORE-1005")
	rapid.Check(t, func(t *rapid.T) {
		ix := newIDs()
		want := map[int32]uint32{}
		var live []int32
		next := int32(0)
		for range rapid.IntRange(1, 200).Draw(t, "ops") {
			if len(live) == 0 || rapid.IntRange(0, 2).Draw(t, "op") > 0 {
				h := rapid.SampledFrom([]uint32{0, 1, 5, 6, 7, 13, 14, 15, 31, 1 << 31}).Draw(t, "hash")
				ix.insert(h, next)
				want[next] = h
				live = append(live, next)
				next++
			} else {
				k := rapid.IntRange(0, len(live)-1).Draw(t, "victim")
				x := live[k]
				ix.remove(want[x], x)
				delete(want, x)
				live = append(live[:k], live[k+1:]...)
			}
			if msg := checkIDs(&ix, want); msg != "" {
				t.Fatalf("%s (table %d, %d live)", msg, len(ix.e), len(want))
			}
		}
	})
}

// TestCheckIDsRejects shows the checker fails on a broken table: an entry
// separated from its home by a hole, a missing entry and a stray one.
func TestCheckIDsRejects(t *testing.T) {
	t.Attr("req", "OC-CORE-1005")
	ix := newIDs()
	ix.insert(6, 0)
	ix.insert(6, 1) // sits at 7
	want := map[int32]uint32{0: 6, 1: 6}
	if msg := checkIDs(&ix, want); msg != "" {
		t.Fatalf("good table refused: %s", msg)
	}
	ix.e[6] = entry{} // a naive delete of slot 0 leaves a hole before 1
	ix.n--
	delete(want, 0)
	if checkIDs(&ix, want) == "" {
		t.Fatal("hole before an entry not found")
	}
	if checkIDs(&ix, map[int32]uint32{0: 6, 1: 6}) == "" {
		t.Fatal("missing entry not found")
	}
	if checkIDs(&ix, map[int32]uint32{}) == "" {
		t.Fatal("stray entry not found")
	}
}

// TestCancelSteadyStateAllocs: once the arena and the id index have grown,
// enqueue+cancel allocates nothing.
func TestCancelSteadyStateAllocs(t *testing.T) {
	t.Attr("req", "OC-CORE-1005")
	names := make([]string, 256)
	for i := range names {
		names[i] = fmt.Sprint("t", i)
	}
	q, _ := New[int](Config{Classes: []Class{{Name: "c", Rank: 1, Weight: 1, Capacity: 1 << 20}}})
	for i := range 128 {
		q.Enqueue(names[i], "c", "", i)
	}
	i := 128
	allocs := testing.AllocsPerRun(1000, func() {
		q.Enqueue(names[i%256], "c", "", i)
		if _, err := q.Cancel(names[(i-77)%256]); err != nil {
			t.Fatal(err)
		}
		i++
	})
	if allocs != 0 {
		t.Fatalf("%.1f allocs per enqueue+cancel, want 0", allocs)
	}
}
