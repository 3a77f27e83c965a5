package fault_test

import (
	"reflect"
	"strings"
	"testing"

	"orchcore.dev/test-harness/chaos/fault"
)

func TestPlanIsSeededAndCoversEveryKind(t *testing.T) {
	t.Attr("req", "OC-CHAOS-8009")
	t.Attr("req", "OC-CHAOS-8005")
	reps := []string{"r0", "r1", "r2"}
	a, err := fault.Plan(5, fault.Kinds, reps, 60000, 1000, 2)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := fault.Plan(5, fault.Kinds, reps, 60000, 1000, 2)
	c, _ := fault.Plan(6, fault.Kinds, reps, 60000, 1000, 2)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("one seed gave two timelines")
	}
	if reflect.DeepEqual(a, c) {
		t.Fatal("seeds 5 and 6 gave the same timeline")
	}
	kinds := map[string]int{}
	for i, f := range a {
		kinds[f.Kind]++
		if i > 0 && f.StartMs < a[i-1].StartMs+a[i-1].DurationMs {
			t.Fatalf("faults %s and %s overlap", a[i-1].ID, f.ID)
		}
		if f.StartMs+f.DurationMs > 60000*9/10 {
			t.Fatalf("fault %s ends after the load phase", f.ID)
		}
	}
	for _, k := range fault.Kinds {
		if kinds[k] != 2 {
			t.Fatalf("kind %s planned %d times, want 2", k, kinds[k])
		}
	}
}

func TestBadTimelinesRefused(t *testing.T) {
	if _, err := fault.Plan(1, fault.Kinds, []string{"r0"}, 10000, 1000, 1); err == nil || !strings.Contains(err.Error(), "longer than the run") {
		t.Fatalf("a 12 s schedule in a 10 s run: %v", err)
	}
	if _, err := fault.ParseKinds("kill,explode"); err == nil || !strings.Contains(err.Error(), `"explode"`) {
		t.Fatalf("unknown kind: %v", err)
	}
	if ks, err := fault.ParseKinds("all"); err != nil || len(ks) != 6 {
		t.Fatalf("all: %v %v", ks, err)
	}
}
