package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"orchcore.dev/tools/spec-trace/internal/cli"
	"orchcore.dev/tools/spec-trace/internal/model"
)

func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// A policy that wants a scenario for every DEMO MUST turns DEMO-0001,
// proven by Go tests only, into partial and fails --strict naming the
// missing kind; DEMO-0101, proven by a scenario, needs only that.
func TestPolicyGate(t *testing.T) {
	t.Attr("req", "OC-TRACE-9008")
	dir := t.TempDir()
	pol := writeFile(t, dir, "p.yaml", "rules:\n  - area: DEMO\n    level: MUST\n    require: gherkin\n  - id: DEMO-0003\n    require: go or junit\n")
	args := append(fixtureArgs(), "--policy", pol, "--strict", "--out", dir, "--format", "json")
	code, _, stderr := run(t, args...)
	if code != cli.Gate {
		t.Fatalf("exit %d, want 1", code)
	}
	if !strings.Contains(stderr, "gate: MUST DEMO-0001 is partial: the evidence policy wants gherkin as well") {
		t.Errorf("stderr lacks the policy gate:\n%s", stderr)
	}
	rep := readReport(t, filepath.Join(dir, "coverage.json"))
	got := map[string]model.Requirement{}
	for _, q := range rep.Requirements {
		got[q.ID] = q
	}
	if q := got["DEMO-0001"]; q.Status != model.Partial || q.Missing != "gherkin" {
		t.Errorf("DEMO-0001: %s missing %q; want partial missing gherkin", q.Status, q.Missing)
	}
	if q := got["DEMO-0003"]; q.Status != model.Proven {
		t.Errorf("DEMO-0003 (id rule: go or junit) is %s", q.Status)
	}
	if q := got["DEMO-0101"]; q.Status != model.Proven {
		t.Errorf("DEMO-0101 (a passing scenario) is %s", q.Status)
	}
	if got["DEMO-0004"].Status != model.Proven {
		t.Error("DEMO-0004 is a MAY: the MUST rule must not apply")
	}
}

func TestPolicyAndWaiverBadInput(t *testing.T) {
	t.Attr("req", "OC-TRACE-9008")
	t.Attr("req", "OC-TRACE-9010")
	dir := t.TempDir()
	bad := writeFile(t, dir, "bad.yaml", "rules:\n  - level: MUST\n    require: go and cucumber\n")
	areaID := writeFile(t, dir, "area.yaml", "rules:\n  - area: DEMO-0001\n    require: go\n")
	badDate := writeFile(t, dir, "w.yaml", "waivers:\n  - id: DEMO-0013\n    reason: r\n    owner: o\n    expires: next week\n")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--policy", bad}, bad + `:3:14: "cucumber" in require "go and cucumber"; want an evidence kind`},
		{[]string{"--policy", filepath.Join(dir, "none.yaml")}, "no such file"},
		{[]string{"--policy", areaID}, areaID + `:2:11: "DEMO-0001" is a requirement ID, not an area prefix; want id: DEMO-0001`},
		{[]string{"--waivers", badDate}, badDate + `:5:14: expiry date "next week" does not parse; want YYYY-MM-DD`},
		{[]string{"--today", "1 Dec"}, `--today "1 Dec": want a date YYYY-MM-DD`},
		{[]string{"--flaky", "maybe"}, `--flaky "maybe": want fail or warn`},
	} {
		out := filepath.Join(dir, "out")
		code, _, stderr := run(t, append(append(fixtureArgs(), "--out", out), c.args...)...)
		if code != cli.Usage || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", c.args, code, stderr, c.want)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%v: reports were written although the input was bad", c.args)
		}
	}
}

// DEMO-0013 (an unproven MUST) is waived until 2026-12-31: --strict
// accepts it that day and fails on it the day after; a waiver for an ID
// no spec defines fails the gate.
func TestWaiverGate(t *testing.T) {
	t.Attr("req", "OC-TRACE-9010")
	dir := t.TempDir()
	w := writeFile(t, dir, "w.yaml", "waivers:\n  - id: DEMO-0013\n    reason: the package is being rewritten\n    owner: ana\n    expires: 2026-12-31\n")
	args := append(fixtureArgs(), "--waivers", w, "--strict", "--out", dir, "--format", "json")
	_, stdout, stderr := run(t, append(args, "--today", "2026-12-31")...)
	if strings.Contains(stderr, "DEMO-0013") {
		t.Errorf("a waived MUST failed the gate:\n%s", stderr)
	}
	if !strings.Contains(stdout, "DEMO-0013 MUST waived (unproven) until 2026-12-31 by ana — the package is being rewritten") || !strings.Contains(stdout, "1 waived") {
		t.Errorf("summary does not show the waiver:\n%s", stdout)
	}
	rep := readReport(t, filepath.Join(dir, "coverage.json"))
	for _, q := range rep.Requirements {
		if q.ID == "DEMO-0013" && (q.Status != model.Waived || q.Was != model.Unproven || q.Waiver == nil) {
			t.Errorf("DEMO-0013 in JSON: %+v", q)
		}
	}
	if rep.Summary.All.Waived != 1 || rep.Summary.All.Proven != 10 {
		t.Errorf("counts %+v: want 1 waived counted apart, 10 proven", rep.Summary.All)
	}
	_, _, stderr = run(t, append(args, "--today", "2027-01-01")...)
	if !strings.Contains(stderr, "gate: waiver for MUST DEMO-0013 ("+w+":2, owner ana) expired on 2026-12-31") ||
		!strings.Contains(stderr, "gate: MUST DEMO-0013 is unproven, not proven") {
		t.Errorf("an expired waiver did not fail the gate:\n%s", stderr)
	}
	unk := writeFile(t, dir, "u.yaml", "waivers:\n  - id: DEMO-7777\n    reason: r\n    owner: bo\n    expires: 2030-01-01\n")
	code, _, stderr := run(t, "--root", fixture, "--results", results+"gotest-cached.json", "--waivers", unk, "--strict", "--today", "2026-12-01")
	if code != cli.Gate || !strings.Contains(stderr, "gate: waiver for DEMO-7777 ("+unk+":2, owner bo) names an ID that no spec defines") {
		t.Errorf("exit %d; a waiver for an unknown ID did not fail the gate:\n%s", code, stderr)
	}
}

// The default files under .specs/ are used when present; empty ones are
// fine.
func TestDefaultPolicyAndWaiverFiles(t *testing.T) {
	t.Attr("req", "OC-TRACE-9008")
	t.Attr("req", "OC-TRACE-9010")
	root := t.TempDir()
	writeFile(t, root, ".specs/a.md", "- [A-1] MUST — One. Proven by TestOne.\n")
	writeFile(t, root, ".specs/waivers.yaml", "")
	stream := writeFile(t, root, "go.json", `{"Action":"run","Package":"p","Test":"TestOne"}
{"Action":"attr","Package":"p","Test":"TestOne","Key":"req","Value":"A-1"}
{"Action":"pass","Package":"p","Test":"TestOne"}
{"Action":"pass","Package":"p"}
`)
	if code, _, stderr := run(t, "--root", root, "--results", stream, "--strict"); code != cli.OK {
		t.Fatalf("exit %d with an empty waiver file: %s", code, stderr)
	}
	writeFile(t, root, ".specs/trace-policy.yaml", "rules:\n  - area: A\n    require: go and gherkin\n")
	code, _, stderr := run(t, "--root", root, "--results", stream, "--strict")
	if code != cli.Gate || !strings.Contains(stderr, "MUST A-1 is partial: the evidence policy wants gherkin as well") {
		t.Errorf("exit %d; the default policy was not applied:\n%s", code, stderr)
	}
}

func readReport(t *testing.T, path string) *model.Report {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rep, err := renderRead(f, path)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}
