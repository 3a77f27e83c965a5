package steps

import (
	"github.com/cucumber/godog"

	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/test-harness/bdd/internal/sut"
)

// world is the state of one scenario.
type world struct {
	sys sut.System
	sched
	reqs
	pool
	guard
	det
	engines
	obs
}

// Initializer returns a godog scenario initializer whose scenarios drive
// the system sys.
func Initializer(sys sut.System) func(*godog.ScenarioContext) {
	return func(sc *godog.ScenarioContext) {
		w := newWorld(sys)
		w.placementSteps(sc)
		w.prefixSteps(sc)
		w.requirementSteps(sc)
		w.poolSteps(sc)
		w.queueSteps(sc)
		w.guardSteps(sc)
		w.budgetSteps(sc)
		w.determinismSteps(sc)
		w.observeSteps(sc)
		w.preemptSteps(sc)
	}
}

// newWorld returns the empty state of one scenario. Pinning is allowed
// unless a step says otherwise.
func newWorld(sys sut.System) *world {
	w := &world{sys: sys}
	w.cfg.Placement.AllowPin = true
	w.admits = map[string]admitted{}
	w.cancels = map[string][]canceled{}
	w.raced = map[string]core.CancelResult{}
	return w
}
