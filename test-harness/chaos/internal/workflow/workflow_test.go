package workflow_test

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rhysd/actionlint"
)

const path = "../../../../.github/workflows/nightly-chaos.yml"

func lint(t *testing.T, name string, content []byte) []*actionlint.Error {
	t.Helper()
	l, err := actionlint.NewLinter(io.Discard, &actionlint.LinterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	errs, err := l.Lint(name, content, nil)
	if err != nil {
		t.Fatal(err)
	}
	return errs
}

func TestNightlyWorkflowLints(t *testing.T) {
	t.Attr("req", "OC-CHAOS-8006")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range lint(t, filepath.Base(path), b) {
		t.Errorf("%s:%d:%d: %s [%s]", path, e.Line, e.Column, e.Message, e.Kind)
	}
	s := string(b)
	for _, want := range []string{"schedule:", "make chaos", "actions/upload-artifact", "reports/chaos", "if: always()"} {
		if !strings.Contains(s, want) {
			t.Errorf("workflow lacks %q", want)
		}
	}
}

func TestLintCatchesABrokenWorkflow(t *testing.T) {
	b, _ := os.ReadFile(path)
	broken := strings.Replace(string(b), "runs-on: ubuntu-latest", "runs-on: ubuntu-latest\n    timeout-minutes: soon", 1)
	broken = strings.Replace(broken, "${{ inputs.seed }}", "${{ inputs.sed }}", 1)
	errs := lint(t, "broken.yml", []byte(broken))
	var kinds []string
	for _, e := range errs {
		kinds = append(kinds, e.Message)
	}
	joined := strings.Join(kinds, "\n")
	if len(errs) < 2 || !strings.Contains(joined, "sed") {
		t.Fatalf("broken workflow gave %d errors:\n%s", len(errs), joined)
	}
}
