package cli_test

import (
	"path/filepath"
	"strings"
	"testing"

	"orchcore.dev/tools/spec-trace/internal/cli"
	"orchcore.dev/tools/spec-trace/internal/model"
)

// JUnit files are told apart by content and count as evidence of kind
// junit, which a policy can ask for.
func TestJUnitResults(t *testing.T) {
	t.Attr("req", "OC-TRACE-9012")
	rep, err := cli.Collect(fixture, []string{results + "gotestsum-junit.xml", results + "pytest-junit.xml", results + "gtest-junit.xml"})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]model.Requirement{}
	for _, q := range rep.Requirements {
		got[q.ID] = q
	}
	for id, want := range map[string]string{
		"DEMO-0101": model.Proven, "DEMO-0102": model.Failing, "DEMO-0010": model.Proven,
		"DEMO-0011": model.Failing, "DEMO-0100": model.Proven, // a junit pass; the scenarios of the .feature files did not run
		"DEMO-0105": model.Failing, "DEMO-0001": model.Flaky, "DEMO-0009": model.Proven,
	} {
		if got[id].Status != want {
			t.Errorf("%s = %s, want %s (tests %+v)", id, got[id].Status, want, got[id].Tests)
		}
	}
	kinds := map[string]bool{}
	for _, tt := range got["DEMO-0101"].Tests {
		kinds[tt.Kind] = true
	}
	if !kinds[model.KindJUnit] {
		t.Errorf("DEMO-0101 has no junit evidence: %+v", got["DEMO-0101"].Tests)
	}
	dir := t.TempDir()
	pol := writeFile(t, dir, "p.yaml", "rules:\n  - id: DEMO-0010\n    require: go and junit\n  - id: DEMO-0101\n    require: gherkin or junit\n")
	code, _, stderr := run(t, "--root", fixture, "--results", results+"pytest-junit.xml", "--results", results+"gotestsum-junit.xml", "--policy", pol, "--strict")
	if code != cli.Gate || !strings.Contains(stderr, "MUST DEMO-0010 is partial: the evidence policy wants go as well") || strings.Contains(stderr, "DEMO-0101") {
		t.Errorf("exit %d:\n%s", code, stderr)
	}
}

func TestNotJUnitFile(t *testing.T) {
	t.Attr("req", "OC-TRACE-9012")
	dir := t.TempDir()
	bad := writeFile(t, dir, "report.xml", "<?xml version=\"1.0\"?>\n<html><body>not results</body></html>\n")
	code, _, stderr := run(t, "--root", fixture, "--results", bad, "--out", filepath.Join(dir, "out"))
	if code != cli.Usage || !strings.Contains(stderr, bad+":2: root element <html>; want JUnit XML") {
		t.Errorf("exit %d: %s", code, stderr)
	}
}
