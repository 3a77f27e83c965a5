package bdd_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// The scenario order seed is printed whether the suite passes or fails,
// without -v: a passing run hides t.Log, so the seed must reach stderr.
// Each run is this test binary itself, asked for one test only.
func TestSeedIsAlwaysPrinted(t *testing.T) {
	if os.Getenv("BDD_SEED_CHILD") != "" {
		t.Skip("already a child run") // no recursion
	}
	for _, run := range []string{"^TestFeatures$", "^TestMutants$/^" + mutants[0].sys.Name() + "$"} {
		cmd := exec.Command(os.Args[0], "-test.run="+run, "-test.count=1")
		cmd.Env = append(os.Environ(), "BDD_SEED=4242", "BDD_SEED_CHILD=1", "BDD_REPORT_DIR=")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", run, err, out)
		}
		if !strings.Contains(string(out), "BDD_SEED=4242") {
			t.Errorf("%s: a passing run without -v does not show its seed:\n%s", run, out)
		}
	}
}
