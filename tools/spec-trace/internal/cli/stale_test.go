package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"orchcore.dev/tools/spec-trace/internal/cli"
	"orchcore.dev/tools/spec-trace/internal/model"
)

// staleRepo is a module with one Go test proving A-1, one scenario proving
// A-2 and a go test -json stream of the test.
func staleRepo(t *testing.T) (root, stream string) {
	root = t.TempDir()
	writeFile(t, root, "go.mod", "module ex.test/m\n\ngo 1.26\n")
	writeFile(t, root, ".specs/a.md", "- [A-1] MUST — One. The first rule.\n- [A-2] MUST — Two. The second rule.\n- [A-3] MUST — Three. Unchanged.\n")
	writeFile(t, root, "p/p_test.go", "package p\n\nimport \"testing\"\n\nfunc TestOne(t *testing.T) {\n\tt.Attr(\"req\", \"A-1\")\n\tt.Attr(\"req\", \"A-3\")\n}\n")
	writeFile(t, root, "f/a.feature", "Feature: F\n\n  @A-2\n  Scenario: two\n    Given a step\n")
	stream = writeFile(t, root, "go.json", `{"Action":"run","Package":"ex.test/m/p","Test":"TestOne"}
{"Action":"attr","Package":"ex.test/m/p","Test":"TestOne","Key":"req","Value":"A-1"}
{"Action":"attr","Package":"ex.test/m/p","Test":"TestOne","Key":"req","Value":"A-3"}
{"Action":"pass","Package":"ex.test/m/p","Test":"TestOne"}
{"Action":"pass","Package":"ex.test/m/p"}
`)
	cuke := `[{"uri":"f/a.feature","name":"F","elements":[{"name":"two","type":"scenario","keyword":"Scenario","line":4,
"tags":[{"name":"@A-2"}],"steps":[{"keyword":"Given ","name":"a step","result":{"status":"passed"}}]}]}]`
	writeFile(t, root, "cucumber.json", cuke)
	return root, stream
}

func statuses(t *testing.T, path string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, q := range readReport(t, path).Requirements {
		out[q.ID] = q.Status
	}
	return out
}

func TestStaleAgainstBaseline(t *testing.T) {
	t.Attr("req", "OC-TRACE-9007")
	root, stream := staleRepo(t)
	args := []string{"--root", root, "--results", stream, "--results", filepath.Join(root, "cucumber.json"), "--format", "json"}
	base := filepath.Join(t.TempDir(), "base")
	if code, _, stderr := run(t, append(args, "--out", base)...); code != 0 {
		t.Fatalf("base run: %d %s", code, stderr)
	}
	if s := statuses(t, base+"/coverage.json"); s["A-1"] != model.Proven || s["A-2"] != model.Proven {
		t.Fatalf("base: %v", s)
	}
	// The rules of change; their tests do not.
	writeFile(t, root, ".specs/a.md", "- [A-1] MUST — One. The first rule, now stricter.\n- [A-2] MUST — Two. The second rule, changed.\n- [A-3] MUST — Three. Unchanged.\n")
	head := filepath.Join(t.TempDir(), "head")
	with := append(args, "--out", head, "--baseline", base+"/coverage.json")
	code, stdout, stderr := run(t, append(with, "--fail-on-stale")...)
	if code != cli.Gate || !strings.Contains(stderr, "gate: MUST A-1 is stale: its rule changed since the baseline and none of its tests did") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
	s := statuses(t, head+"/coverage.json")
	if s["A-1"] != model.Stale || s["A-2"] != model.Stale || s["A-3"] != model.Proven {
		t.Errorf("after the rules changed: %v; want A-1 and A-2 stale, A-3 proven", s)
	}
	if !strings.Contains(stdout, "2 stale") || strings.Index(stdout, "A-1 MUST stale") > strings.Index(stdout, "requirements:") {
		t.Errorf("the summary does not list the stale ones first:\n%s", stdout)
	}
	// --strict alone fails a stale MUST: it is not proven.
	if code, _, stderr := run(t, append(with, "--strict")...); code != cli.Gate || !strings.Contains(stderr, "MUST A-1 is stale, not proven: its rule changed since the baseline and none of its tests did") {
		t.Errorf("--strict: exit %d:\n%s", code, stderr)
	}
	// diff lists them first.
	_, out, _ := run(t, "diff", base+"/coverage.json", head+"/coverage.json")
	if !strings.HasPrefix(out, "## Requirement coverage changes\n\nStale (the rule changed, its tests did not): 2\n- A-1 MUST (proven → stale)") {
		t.Errorf("diff:\n%s", out)
	}
	// Once the tests change as well, the requirements are proven again.
	writeFile(t, root, "p/p_test.go", "package p\n\nimport \"testing\"\n\nfunc TestOne(t *testing.T) {\n\tt.Attr(\"req\", \"A-1\")\n\tt.Attr(\"req\", \"A-3\")\n\tcheckStricter(t)\n}\n")
	writeFile(t, root, "f/a.feature", "Feature: F\n\n  @A-2\n  Scenario: two\n    Given a changed step\n")
	run(t, with...)
	if s := statuses(t, head+"/coverage.json"); s["A-1"] != model.Proven || s["A-2"] != model.Proven {
		t.Errorf("after the tests changed too: %v; want both proven", s)
	}
}

func TestBaselineBadInput(t *testing.T) {
	t.Attr("req", "OC-TRACE-9007")
	dir := t.TempDir()
	v1 := writeFile(t, dir, "v1.json", `{"schema": "spec-trace/v1", "version": 1, "requirements": []}`)
	code, _, stderr := run(t, append(fixtureArgs(), "--baseline", v1)...)
	if code != cli.Usage || !strings.Contains(stderr, `--baseline: `+v1+`: schema "spec-trace/v1" is older than "spec-trace/v2" and carries no rule or test hashes; regenerate it`) {
		t.Errorf("v1 baseline: exit %d, %s", code, stderr)
	}
	other := writeFile(t, dir, "o.json", `{"schema": "other/v3"}`)
	if code, _, stderr := run(t, append(fixtureArgs(), "--baseline", other)...); code != cli.Usage || !strings.Contains(stderr, `schema "other/v3"`) {
		t.Errorf("foreign baseline: exit %d, %s", code, stderr)
	}
	if code, _, stderr := run(t, append(fixtureArgs(), "--fail-on-stale")...); code != cli.Usage || !strings.Contains(stderr, "--fail-on-stale needs --baseline") {
		t.Errorf("--fail-on-stale alone: exit %d, %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "coverage.json")); err == nil {
		t.Error("a report was written")
	}
}

// Migration: diff still reads a v1 report (no text, no hashes).
func TestDiffReadsV1(t *testing.T) {
	t.Attr("req", "OC-TRACE-9006")
	dir := t.TempDir()
	v1 := writeFile(t, dir, "v1.json", `{"schema": "spec-trace/v1", "version": 1, "requirements": [
  {"id": "DEMO-0001", "area": "DEMO", "level": "MUST", "title": "Passing tests prove", "file": ".specs/demo.md", "line": 6, "status": "unproven", "tests": []}]}`)
	out := filepath.Join(dir, "out")
	run(t, append(fixtureArgs(), "--out", out, "--format", "json")...)
	code, stdout, stderr := run(t, "diff", v1, filepath.Join(out, "coverage.json"))
	if code != 0 || !strings.Contains(stdout, "- DEMO-0001 MUST (unproven → proven) — Passing tests prove") {
		t.Errorf("exit %d, stdout:\n%s\nstderr: %s", code, stdout, stderr)
	}
}
