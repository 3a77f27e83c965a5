package steps

import (
	"fmt"
	"strings"
	"testing"

	"orchcore.dev/test-harness/bdd/internal/sut"
)

// The race scenario's last check fails when a run saw only one of the two
// histories, or a history that is neither.
func TestBothSeenRejects(t *testing.T) {
	t.Attr("req", "OC-CORE-1008")
	for _, c := range []struct {
		name string
		seen map[string]int
		want string
	}{
		{"only queued", map[string]int{canceledQueued: 100}, "want both"},
		{"only dispatched", map[string]int{canceledDispatched: 100}, "want both"},
		{"a third history", map[string]int{canceledQueued: 1, canceledDispatched: 1, "admitted, dispatched, completed, canceled": 1}, "neither"},
	} {
		w := &world{}
		w.seen = c.seen
		err := w.bothSeen(canceledQueued, canceledDispatched)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: bothSeen = %v, want an error with %q", c.name, err, c.want)
		}
	}
	w := &world{}
	w.seen = map[string]int{canceledQueued: 3, canceledDispatched: 97}
	if err := w.bothSeen(canceledQueued, canceledDispatched); err != nil {
		t.Errorf("both seen: %v", err)
	}
}

// The race drives the real Pool from several goroutines: every task ends
// once, and over at most 50 runs both histories occur.
func TestRaceSeesBothHistories(t *testing.T) {
	t.Attr("req", "OC-CORE-1008")
	w := newWorld(sut.Real{})
	if err := w.poolWith(100, "reject"); err != nil {
		t.Fatal(err)
	}
	for i := range 100 {
		if err := w.admit(newTask(fmt.Sprintf("t%03d", i+1), "batch")); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.race(4, 4, 50); err != nil {
		t.Fatal(err)
	}
	if err := w.bothSeen(canceledQueued, canceledDispatched); err != nil {
		t.Fatal(err)
	}
}
