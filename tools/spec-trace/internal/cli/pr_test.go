package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"orchcore.dev/tools/spec-trace/internal/pr"
	"orchcore.dev/tools/spec-trace/internal/render"
)

func TestPRCommand(t *testing.T) {
	t.Attr("req", "OC-TRACE-9011")
	dir := t.TempDir()
	base, head := filepath.Join(dir, "base"), filepath.Join(dir, "head")
	run(t, "--root", fixture, "--results", results+"gotest-all.json", "--results", results+"cucumber.json", "--out", base, "--format", "json")
	run(t, "--root", fixture, "--results", results+"cucumber.json", "--out", head, "--format", "json")
	out := filepath.Join(dir, "pr")
	t.Setenv("GITHUB_ACTIONS", "true")
	code, stdout, stderr := run(t, "pr", "--base", base+"/coverage.json", "--head", head+"/coverage.json", "--out", out, "--fail-on-regression")
	if code != 1 {
		t.Fatalf("exit %d, want 1 (go tests gone): %s", code, stderr)
	}
	md, err := os.ReadFile(filepath.Join(out, "pr.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(md), pr.Marker) || !strings.Contains(string(md), "- **DEMO-0001** MUST proven → unproven") {
		t.Errorf("pr.md:\n%s", md)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	ann := 0
	for _, l := range lines {
		if strings.HasPrefix(l, "::error file=.specs/demo.md,line=") {
			ann++
		}
	}
	if ann == 0 || ann > 10 {
		t.Errorf("%d annotations under GITHUB_ACTIONS=true:\n%s", ann, stdout)
	}
	t.Setenv("GITHUB_ACTIONS", "")
	code, stdout, _ = run(t, "pr", "--base", head+"/coverage.json", "--head", head+"/coverage.json", "--out", out, "--fail-on-regression")
	if code != 0 || strings.Contains(stdout, "::error") {
		t.Errorf("same report: exit %d, stdout %s", code, stdout)
	}
	// The rows of one outline share a name: they must still match up.
	same, _ := os.ReadFile(filepath.Join(out, "pr.md"))
	if strings.Contains(string(same), "spec line or tests changed") || !strings.Contains(string(same), "Nothing got worse.") {
		t.Errorf("a report compared with itself lists changes:\n%s", same)
	}
}

func TestPRBadInput(t *testing.T) {
	t.Attr("req", "OC-TRACE-9011")
	dir := t.TempDir()
	v1 := filepath.Join(dir, "v1.json")
	if err := os.WriteFile(v1, []byte(`{"schema": "spec-trace/v1", "version": 1, "requirements": []}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"pr", "--base", v1, "--head", v1, "--out", dir}, `schema "spec-trace/v1" is older than "spec-trace/v2"`},
		{[]string{"pr", "--base", v1, "--out", dir}, "--base, --head and --out are required"},
		{[]string{"pr", "--base", filepath.Join(dir, "none.json"), "--head", v1, "--out", dir}, "no such file"},
		{[]string{"pr", "--base", v1, "--head", v1, "--out", dir, "extra"}, `unexpected argument "extra"`},
	} {
		code, _, stderr := run(t, c.args...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", c.args, code, stderr, c.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "pr.md")); err == nil {
		t.Error("pr.md was written although the input was bad")
	}
}

var renderRead = render.ReadCurrent
