package scheduling_test

import (
	"fmt"
	"testing"

	"orchcore.dev/orchestrator-core/scheduling"
)

// TestAffinityBounded: an Affinity of bound 2 remembers the two sessions
// set last and forgets the oldest, which is then placed as a new session.
func TestAffinityBounded(t *testing.T) {
	t.Attr("req", "OC-CORE-1054")
	t.Attr("req", "OC-CORE-1013")
	a := scheduling.NewAffinity(2)
	for i := range 5 {
		a.Set(fmt.Sprint("s", i), fmt.Sprint("r", i))
		if a.Len() > 2 {
			t.Fatalf("%d sessions remembered, bound 2", a.Len())
		}
	}
	a.Set("s3", "r9") // s3 becomes the most recent; s4 is now the oldest
	a.Set("s5", "r5")
	for s, want := range map[string]string{"s3": "r9", "s5": "r5", "s4": "", "s0": ""} {
		if got, _ := a.Get(s); got != want {
			t.Errorf("Get(%s) = %q, want %q", s, got, want)
		}
	}
	var zero scheduling.Affinity // the zero value works, with the default bound
	zero.Set("s", "r")
	if r, ok := zero.Get("s"); !ok || r != "r" {
		t.Fatalf("zero Affinity: %q %v", r, ok)
	}
}
