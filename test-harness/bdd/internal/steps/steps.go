package steps

import (
	"github.com/cucumber/godog"

	"orchcore.dev/orchestrator-core/backoff"
	"orchcore.dev/orchestrator-core/guardrails"

	"orchcore.dev/test-harness/bdd/internal/sut"
)

// world is the state of one scenario.
type world struct {
	sys sut.System
	sched
	reqs
	pool
	guard
}

// Initializer returns a godog scenario initializer whose scenarios drive
// the system sys.
func Initializer(sys sut.System) func(*godog.ScenarioContext) {
	return func(sc *godog.ScenarioContext) {
		w := &world{sys: sys}
		w.admits = map[string]admitted{}
		w.cancels = map[string][]canceled{}
		w.delays = map[string][]int64{}
		w.remaining = map[string]guardrails.Remaining{}
		w.gaveUp = map[string]*backoff.GiveUp{}
		w.sched.init()
		w.placementSteps(sc)
		w.requirementSteps(sc)
		w.poolSteps(sc)
		w.queueSteps(sc)
		w.guardSteps(sc)
		w.budgetSteps(sc)
	}
}
