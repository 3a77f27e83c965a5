package bdd_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/cucumber/godog"

	"orchcore.dev/test-harness/bdd/internal/steps"
	"orchcore.dev/test-harness/bdd/internal/sut"
)

// excluded leaves scenarios out of the run (a godog tag expression).
//
// @pool-placement: core.Pool.Next does not place jobs on replicas yet, so
// a job cannot stay queued with a NoCapacity event and its events carry no
// job id, replica, engine or seed. OC-CORE-1042 is proven by the placement
// scenarios of features/scheduling and OC-CORE-1040 by the field-set
// scenario meanwhile.
const excluded = "~@pool-placement"

func TestFeatures(t *testing.T) {
	s := seed(t)
	t.Logf("scenario order seed %d (replay with BDD_SEED=%d)", s, s)
	dir := reportDir(t)
	t.Logf("cucumber and junit reports in %s", dir)

	format := "cucumber:" + filepath.Join(dir, "cucumber.json") + ",junit:" + filepath.Join(dir, "junit.xml")
	if testing.Verbose() && !jsonOutput() {
		format = "pretty," + format
	}
	suite := godog.TestSuite{
		Name:                "orchestrator-core",
		ScenarioInitializer: steps.Initializer(sut.Real{}),
		Options: &godog.Options{
			TestingT:  t,
			Strict:    true,
			Randomize: s,
			Format:    format,
			Paths:     []string{"features"},
			Tags:      excluded,
			Output:    os.Stdout,
		},
	}
	if code := suite.Run(); code != 0 {
		t.Fatalf("godog exited %d (seed %d)", code, s)
	}
	report := filepath.Join(dir, "cucumber.json")
	// One req attribute per requirement with a passing scenario in this run.
	for _, id := range scenariosOf(passedIDs(t, report)).IDs() {
		t.Attr("req", id)
	}
	checkReport(t, report)
}
