//go:build mutants

package scheduling_test

import (
	"testing"

	"orchcore.dev/orchestrator-core/internal/proptest"
	"orchcore.dev/orchestrator-core/scheduling"
)

// TestPropertyCatchesBrokenTieBreak runs the same property against a
// Placer that ignores replica_id on ties; the property must fail.
func TestPropertyCatchesBrokenTieBreak(t *testing.T) {
	t.Attr("req", "OC-CORE-1017")
	failed, first := proptest.Fails(t, placementMachine(scheduling.BreakTieBreak))
	if !failed {
		t.Fatal("the property accepted a placer that ignores replica_id")
	}
	t.Logf("caught as expected: %.200s", first)
}
