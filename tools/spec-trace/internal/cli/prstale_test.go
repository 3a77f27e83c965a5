package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"orchcore.dev/tools/spec-trace/internal/cli"
)

// The documented CI flow writes the head report without --baseline and
// then runs pr and diff: they must find the stale proof themselves.
func TestPRAndDiffFindStaleWithoutBaseline(t *testing.T) {
	t.Attr("req", "OC-TRACE-9007")
	t.Attr("req", "OC-TRACE-9011")
	t.Attr("req", "OC-TRACE-9005")
	root, stream := staleRepo(t)
	args := []string{"--root", root, "--results", stream, "--results", filepath.Join(root, "cucumber.json"), "--format", "json"}
	base := filepath.Join(t.TempDir(), "base")
	if code, _, stderr := run(t, append(args, "--out", base)...); code != 0 {
		t.Fatalf("base run: %d %s", code, stderr)
	}
	// A-1's rule changes, its test does not; A-2's rule and its scenario
	// both change.
	writeFile(t, root, ".specs/a.md", "- [A-1] MUST — One. The first rule, now stricter.\n- [A-2] MUST — Two. The second rule, changed.\n- [A-3] MUST — Three. Unchanged.\n")
	writeFile(t, root, "f/a.feature", "Feature: F\n\n  @A-2\n  Scenario: two\n    Given a changed step\n")
	head := filepath.Join(t.TempDir(), "head")
	if code, _, stderr := run(t, append(args, "--out", head)...); code != 0 {
		t.Fatalf("head run without --baseline: %d %s", code, stderr)
	}
	b, h := base+"/coverage.json", head+"/coverage.json"

	out := t.TempDir()
	code, stdout, stderr := run(t, "pr", "--base", b, "--head", h, "--out", out, "--fail-on-regression")
	if code != cli.Gate || !strings.Contains(stdout, "1 got worse") {
		t.Errorf("pr: exit %d, want %d with 1 got worse; stdout %s stderr %s", code, cli.Gate, stdout, stderr)
	}
	raw, err := os.ReadFile(filepath.Join(out, "pr.md"))
	if err != nil {
		t.Fatal(err)
	}
	md := string(raw)
	worse := strings.Index(md, "### Got worse: 1\n\n#### Stale: the rule changed, its tests did not (1)\n\n- **A-1** MUST proven → stale")
	if worse < 0 {
		t.Errorf("pr.md does not list A-1 as stale first among what got worse:\n%s", md)
	}
	if strings.Contains(md, "**A-2** MUST proven → stale") {
		t.Errorf("A-2's scenario changed too, yet it is stale:\n%s", md)
	}
	// Both reasons are given when the rule and a test changed.
	if !strings.Contains(md, "- **A-2** MUST proven — Two (`.specs/a.md:2`) — rule text changed; 1 test(s) edited\n") {
		t.Errorf("pr.md does not say that A-2's rule and test both changed:\n%s", md)
	}

	code, dout, _ := run(t, "diff", "--fail-on-regression", b, h)
	if code != cli.Gate || !strings.HasPrefix(dout, "## Requirement coverage changes\n\nStale (the rule changed, its tests did not): 1\n- A-1 MUST (proven → stale)") {
		t.Errorf("diff: exit %d, want %d with A-1 stale first:\n%s", code, cli.Gate, dout)
	}
	if !strings.Contains(dout, "verdict: regressed") {
		t.Errorf("diff verdict:\n%s", dout)
	}
	// Negative: the same report on both sides, or a head whose only
	// changed rule also changed its test, is no regression.
	if code, stdout, _ := run(t, "pr", "--base", h, "--head", h, "--out", out, "--fail-on-regression"); code != 0 || !strings.Contains(stdout, "0 got worse") {
		t.Errorf("pr head vs head: exit %d, %s", code, stdout)
	}
	if code, dout, _ := run(t, "diff", "--fail-on-regression", h, h); code != 0 || strings.Contains(dout, "A-1") {
		t.Errorf("diff head vs head: exit %d:\n%s", code, dout)
	}
}
