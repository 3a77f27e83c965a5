package bdd_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/cucumber/godog"

	"orchcore.dev/test-harness/bdd/internal/steps"
	"orchcore.dev/test-harness/bdd/internal/sut"
)

// mutants pairs each deliberately broken core with the scenarios that
// must catch it.
var mutants = []struct {
	sys  sut.System
	tags string
}{
	{sut.IgnoresReady{}, "@mutant-target&&@OC-CORE-1010"},
	{sut.LeastVRAM{}, "@mutant-target&&@OC-CORE-1012"},
	{sut.LowestRankFirst{}, "@mutant-target&&@OC-CORE-1004"},
	{sut.DropNewest{}, "@mutant-target&&@OC-CORE-1002"},
	{sut.LostCancel{}, "@mutant-target&&@OC-CORE-1005"},
	{sut.AlwaysStrict{}, "@mutant-target&&@OC-CORE-1006"},
	{sut.DropsClientSeed{}, "@mutant-target&&@OC-CORE-1034"},
}

// TestMutants proves the suite can fail: each selection passes against
// the real core and fails, on a failed step, against its mutant.
func TestMutants(t *testing.T) {
	for _, m := range mutants {
		t.Run(m.sys.Name(), func(t *testing.T) {
			if res := runQuiet(t, sut.Real{}, m.tags); res.code != 0 || res.passed == 0 {
				t.Fatalf("control run on the real core: exit %d, %d passed, %d failed; want all passing\n%s",
					res.code, res.passed, res.failed, res.out)
			}
			res := runQuiet(t, m.sys, m.tags)
			if res.code == 0 || res.failed == 0 {
				t.Fatalf("mutant %s passed %s (exit %d, %d scenarios failed); the suite cannot tell it from the real core",
					m.sys.Name(), m.tags, res.code, res.failed)
			}
			t.Logf("mutant %s caught: %d of %d scenarios failed", m.sys.Name(), res.failed, res.passed+res.failed)
		})
	}
}

type result struct {
	code           int
	passed, failed int
	out            []byte
}

// runQuiet runs the selected scenarios against sys with the output in a
// buffer (not as subtests, so a failure does not fail the caller) and
// counts scenarios by the status of their steps. A scenario counts as
// failed only when a step ran and failed, not when one was undefined.
func runQuiet(t *testing.T, sys sut.System, tags string) result {
	t.Helper()
	var buf bytes.Buffer
	suite := godog.TestSuite{
		Name:                "mutant-" + sys.Name(),
		ScenarioInitializer: steps.Initializer(sys),
		Options: &godog.Options{
			Strict: true, Format: "cucumber", Output: &buf,
			Paths: []string{"features"}, Tags: tags, Randomize: seed(t),
		},
	}
	res := result{code: suite.Run(), out: buf.Bytes()}
	var features []struct {
		Elements []struct {
			Steps []struct {
				Result struct{ Status string } `json:"result"`
			} `json:"steps"`
		} `json:"elements"`
	}
	if err := json.Unmarshal(res.out, &features); err != nil {
		t.Fatalf("reading the cucumber output: %v\n%s", err, res.out)
	}
	for _, f := range features {
		for _, sc := range f.Elements {
			status := "passed"
			for _, st := range sc.Steps {
				if st.Result.Status != "passed" {
					status = st.Result.Status
					break
				}
			}
			switch status {
			case "passed":
				res.passed++
			case "failed":
				res.failed++
			}
		}
	}
	return res
}
