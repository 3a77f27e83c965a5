//go:build mutants

package queue_test

import (
	"sort"
	"testing"

	"orchcore.dev/orchestrator-core/internal/proptest"
	"orchcore.dev/orchestrator-core/queue"
)

// TestPropertyCatchesMutants shows the model-based property is not
// vacuous: each deliberately broken queue is caught.
func TestPropertyCatchesMutants(t *testing.T) {
	t.Attr("req", "OC-CORE-1002")
	names := make([]string, 0, len(queue.Mutants))
	for n := range queue.Mutants {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		t.Run(n, func(t *testing.T) {
			restore := queue.SetMutant(queue.Mutants[n])
			defer restore()
			prop := queueMachine
			if n == "tenant-order-ignored" {
				prop = tenantMachine // the general machine seldom piles up several tenants
			}
			if failed, _ := proptest.Fails(t, prop); !failed {
				t.Errorf("the property passed on the broken variant %s", n)
			}
		})
	}
}
