package bdd_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/cucumber/godog"

	"orchcore.dev/test-harness/bdd/internal/steps"
	"orchcore.dev/test-harness/bdd/internal/sut"
)

// mutants pairs each deliberately broken core with the requirement it
// breaks; the @mutant-target scenarios of that requirement must catch it.
var mutants = []struct {
	sys sut.System
	req string
}{
	{sut.IgnoresReady(), "OC-CORE-1010"},
	{sut.LeastVRAM(), "OC-CORE-1012"},
	{sut.LowestRankFirst(), "OC-CORE-1004"},
	{sut.DropNewest(), "OC-CORE-1002"},
	{sut.LostCancel(), "OC-CORE-1005"},
	{sut.AlwaysStrict(), "OC-CORE-1006"},
	{sut.DropsClientSeed(), "OC-CORE-1034"},
	{sut.PinFallback(), "OC-CORE-1019"},
	{sut.CrossSetRetry(), "OC-CORE-1031"},
	{sut.LateExpiry(), "OC-CORE-1050"},
	{sut.CountsOnly(), "OC-CORE-1051"},
	{sut.DispatchShares(), "OC-CORE-1052"},
	{sut.TenantOrderIgnored(), "OC-CORE-1053"},
	{sut.NeverForgets(), "OC-CORE-1054"},
	{sut.PolarityIgnored(), "OC-CORE-1058"},
	{sut.SaturationIgnored(), "OC-CORE-1056"},
	{sut.GuardIgnored(), "OC-CORE-1055"},
	{sut.NeverEvicts(), "OC-CORE-1055"},
	{sut.PreemptEqualRank(), "OC-CORE-1057"},
}

// TestMutants proves the suite can fail: each selection passes against
// the real core and fails, on a failed step, against its mutant. A
// subtest proves its requirement (the real core passes scenarios shown
// able to fail), so it carries that one req attribute.
func TestMutants(t *testing.T) {
	s := seed(t) // one logged seed for every run, so BDD_SEED replays them all
	announce(t, "TestMutants", s)
	for _, m := range mutants {
		t.Run(m.sys.Name(), func(t *testing.T) {
			t.Attr("req", m.req)
			tags := "@mutant-target&&@" + m.req
			if res := runQuiet(t, sut.Real{}, tags, s); res.code != 0 || res.passed == 0 {
				t.Fatalf("control run on the real core (BDD_SEED=%d): exit %d, %d passed, %d failed; want all passing\n%s",
					s, res.code, res.passed, res.failed, res.out)
			}
			res := runQuiet(t, m.sys, tags, s)
			if res.code == 0 || res.failed == 0 {
				t.Fatalf("mutant %s passed %s (BDD_SEED=%d, exit %d, %d scenarios failed); the suite cannot tell it from the real core",
					m.sys.Name(), tags, s, res.code, res.failed)
			}
			t.Logf("mutant %s caught: %d of %d scenarios failed; first failed step: %s",
				m.sys.Name(), res.failed, res.passed+res.failed, res.why)
		})
	}
}

type result struct {
	code           int
	passed, failed int
	// why is the first failed step and its error.
	why string
	out []byte
}

// runQuiet runs the selected scenarios against sys with the output in a
// buffer (not as subtests, so a failure does not fail the caller) and
// counts scenarios by the status of their steps. seed orders the
// scenarios; the caller prints it. A scenario counts as failed only when
// a step ran and failed, not when one was undefined.
func runQuiet(t *testing.T, sys sut.System, tags string, seed int64) result {
	t.Helper()
	var buf bytes.Buffer
	suite := godog.TestSuite{
		Name:                "mutant-" + sys.Name(),
		ScenarioInitializer: steps.Initializer(sys),
		Options: &godog.Options{
			Strict: true, Format: "cucumber", Output: &buf,
			Paths: []string{"features"}, Tags: tags, Randomize: seed,
		},
	}
	res := result{code: suite.Run(), out: buf.Bytes()}
	var features []struct {
		Elements []struct {
			Steps []struct {
				Name   string `json:"name"`
				Result struct {
					Status string `json:"status"`
					Error  string `json:"error_message"`
				} `json:"result"`
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
					if status == "failed" && res.why == "" {
						res.why = fmt.Sprintf("%q: %s", st.Name, st.Result.Error)
					}
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
