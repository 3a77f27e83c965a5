package cli_test

import (
	"strings"
	"testing"

	"orchcore.dev/tools/spec-trace/internal/cli"
	"orchcore.dev/tools/spec-trace/internal/model"
)

// gotestsum --rerun-fails (captured): TestFlaky failed, then passed on
// the rerun, so DEMO-0001 is flaky, counted apart; TestJFail failed on
// every attempt, so DEMO-0102 is failing.
func TestRerunIsFlaky(t *testing.T) {
	t.Attr("req", "OC-TRACE-9009")
	rep, err := cli.Collect(fixture, []string{results + "gotestsum-rerun.json"})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]model.Requirement{}
	for _, q := range rep.Requirements {
		got[q.ID] = q
	}
	q := got["DEMO-0001"]
	if q.Status != model.Flaky || len(q.Tests) != 1 || q.Tests[0].Status != model.FlakyRun ||
		strings.Join(q.Tests[0].Attempts, ",") != "failed,passed" {
		t.Errorf("DEMO-0001: %s, tests %+v; want flaky from TestFlaky failed,passed", q.Status, q.Tests)
	}
	if got["DEMO-0003"].Status != model.Proven || got["DEMO-0102"].Status != model.Failing {
		t.Errorf("DEMO-0003 %s, DEMO-0102 %s; want proven and failing", got["DEMO-0003"].Status, got["DEMO-0102"].Status)
	}
	for _, tt := range got["DEMO-0102"].Tests {
		if tt.Name == "TestJFail" && (len(tt.Attempts) != 3 || tt.Status != model.Failed) {
			t.Errorf("TestJFail: %s, attempts %v; want failed three times", tt.Status, tt.Attempts)
		}
	}
	if rep.Summary.All.Flaky != 1 || rep.Summary.All.Proven == 0 {
		t.Errorf("counts %+v: want flaky counted apart", rep.Summary.All)
	}
}

// --strict fails on flaky evidence by default and accepts it with
// --flaky warn (which still warns).
func TestFlakyGate(t *testing.T) {
	t.Attr("req", "OC-TRACE-9009")
	args := []string{"--root", fixture, "--results", results + "gotestsum-rerun.json", "--strict"}
	_, _, stderr := run(t, args...)
	if !strings.Contains(stderr, "gate: MUST DEMO-0001 is flaky: a proving test failed before it passed") {
		t.Errorf("default --strict does not fail on the flake:\n%s", stderr)
	}
	_, _, stderr = run(t, append(args, "--flaky", "warn")...)
	if strings.Contains(stderr, "gate: MUST DEMO-0001") || !strings.Contains(stderr, "warning: MUST DEMO-0001 is flaky (counted as proven: --flaky warn)") {
		t.Errorf("--flaky warn:\n%s", stderr)
	}
}

// Two streams of one test, a failure then a pass, are attempts too; the
// other order is a failure.
func TestFlakyAcrossStreams(t *testing.T) {
	t.Attr("req", "OC-TRACE-9009")
	dir := t.TempDir()
	ev := func(action string) string {
		return `{"Action":"run","Package":"p","Test":"TestA"}
{"Action":"attr","Package":"p","Test":"TestA","Key":"req","Value":"A-1"}
{"Action":"` + action + `","Package":"p","Test":"TestA"}
{"Action":"` + action + `","Package":"p"}
`
	}
	writeFile(t, dir, ".specs/a.md", "- [A-1] MUST — One.\n")
	fail := writeFile(t, dir, "1.json", ev("fail"))
	pass := writeFile(t, dir, "2.json", ev("pass"))
	for _, c := range []struct {
		files []string
		want  string
	}{{[]string{fail, pass}, model.Flaky}, {[]string{pass, fail}, model.Failing}} {
		rep, err := cli.Collect(dir, c.files)
		if err != nil {
			t.Fatal(err)
		}
		if s := rep.Requirements[0].Status; s != c.want {
			t.Errorf("%v: %s, want %s", c.files, s, c.want)
		}
	}
}

// A test that references nothing and fails, then passes on a rerun, is
// named too: it fails --strict under --flaky fail, not under warn.
func TestUnreferencedFlakyTest(t *testing.T) {
	t.Attr("req", "OC-TRACE-9009")
	dir := t.TempDir()
	writeFile(t, dir, ".specs/a.md", "- [A-1] MUST — One.\n")
	stream := writeFile(t, dir, "go.json", `{"Action":"run","Package":"p","Test":"TestA"}
{"Action":"attr","Package":"p","Test":"TestA","Key":"req","Value":"A-1"}
{"Action":"pass","Package":"p","Test":"TestA"}
{"Action":"run","Package":"p","Test":"TestHelper"}
{"Action":"fail","Package":"p","Test":"TestHelper"}
{"Action":"fail","Package":"p"}
{"Action":"run","Package":"p","Test":"TestHelper"}
{"Action":"pass","Package":"p","Test":"TestHelper"}
{"Action":"pass","Package":"p"}
`)
	code, _, stderr := run(t, "--root", dir, "--results", stream, "--strict")
	if code != cli.Gate || !strings.Contains(stderr, "gate: test-flaky p: TestHelper failed, then passed on a rerun, and references no requirement") {
		t.Errorf("--flaky fail: exit %d\n%s", code, stderr)
	}
	if code, _, stderr := run(t, "--root", dir, "--results", stream, "--strict", "--flaky", "warn"); code != cli.OK {
		t.Errorf("--flaky warn: exit %d\n%s", code, stderr)
	}
}
