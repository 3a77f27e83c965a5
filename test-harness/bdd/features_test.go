package bdd_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/cucumber/godog"

	"orchcore.dev/test-harness/bdd/internal/steps"
	"orchcore.dev/test-harness/bdd/internal/sut"
)

func TestFeatures(t *testing.T) {
	s := seed(t)
	announce(t, "TestFeatures", s)
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
			Output:    os.Stdout,
		},
	}
	if code := suite.Run(); code != 0 {
		t.Fatalf("godog exited %d (seed %d)", code, s)
	}
	// Each scenario's requirement tags are in the cucumber report, which
	// tools/spec-trace reads; this test adds no req attribute of its own,
	// since one failing scenario fails it for every requirement.
	checkReport(t, filepath.Join(dir, "cucumber.json"))
}
