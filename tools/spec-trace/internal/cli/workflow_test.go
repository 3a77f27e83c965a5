package cli_test

import (
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/rhysd/actionlint"

	"orchcore.dev/tools/spec-trace/internal/pr"
)

const workflow = "../../../../.github/workflows/coverage-comment.yml"

func lint(t *testing.T, name string, src []byte) []*actionlint.Error {
	t.Helper()
	opts := &actionlint.LinterOptions{}
	if sc, err := exec.LookPath("shellcheck"); err == nil {
		opts.Shellcheck = sc // the run: scripts too, when shellcheck is installed
	}
	l, err := actionlint.NewLinter(io.Discard, opts)
	if err != nil {
		t.Fatal(err)
	}
	errs, err := l.Lint(name, src, nil)
	if err != nil {
		t.Fatal(err)
	}
	return errs
}

// The example workflow passes actionlint v1.7.12 and posts pr.md, whose
// marker it looks for.
func TestExampleWorkflowLints(t *testing.T) {
	t.Attr("req", "OC-TRACE-9011")
	src, err := os.ReadFile(workflow)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range lint(t, "coverage-comment.yml", src) {
		t.Errorf("actionlint: %s:%d:%d: %s [%s]", workflow, e.Line, e.Column, e.Message, e.Kind)
	}
	for _, want := range []string{"marker='" + pr.Marker + "'", "spec-trace pr --base", "-F body=@reports/pr.md"} {
		if !strings.Contains(string(src), want) {
			t.Errorf("workflow lacks %q", want)
		}
	}
	// The linter is not blind: a broken copy is rejected.
	bad := strings.Replace(string(src), "runs-on: ubuntu-latest", "runs-on: ubuntu-latest\n    step:\n      - run: x", 1)
	bad = strings.Replace(bad, "${{ github.token }}", "${{ github.tokn }}", 1)
	if errs := lint(t, "bad.yml", []byte(bad)); len(errs) < 2 {
		t.Errorf("actionlint found %d problems in a broken workflow, want at least 2", len(errs))
	}
}
