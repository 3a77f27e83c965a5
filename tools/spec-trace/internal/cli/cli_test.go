package cli_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"orchcore.dev/tools/spec-trace/internal/cli"
	"orchcore.dev/tools/spec-trace/internal/model"
)

const (
	fixture = "../../testdata/fixture"
	results = "../../testdata/results/"
)

func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := cli.Main(args, &out, &errb)
	return code, out.String(), errb.String()
}

func fixtureArgs() []string {
	return []string{"--root", fixture,
		"--results", results + "gotest-all.json",
		"--results", results + "cucumber.json",
		"--results", results + "gotest-cached.json"}
}

// The statuses below are worked out by hand from the fixture sources and
// .specs/demo.md; see the comments there.
func TestFixtureStatuses(t *testing.T) {
	t.Attr("req", "OC-TRACE-9002")
	t.Attr("req", "OC-TRACE-9001")
	rep, err := cli.Collect(fixture, []string{results + "gotest-all.json", results + "cucumber.json", results + "gotest-cached.json"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"DEMO-0001": model.Proven, "DEMO-0002": model.Partial, "DEMO-0003": model.Proven,
		"DEMO-0004": model.Proven, "DEMO-0005": model.Partial, "DEMO-0006": model.Failing,
		"DEMO-0007": model.Failing, "DEMO-0008": model.Failing, "DEMO-0009": model.Proven,
		"DEMO-0010": model.Proven, "DEMO-0011": model.Proven, "DEMO-0012": model.Proven,
		"DEMO-0013": model.Unproven, "DEMO-0014": model.Failing, "DEMO-0015": model.Proven,
		"DEMO-0016": model.Failing, "DEMO-0017": model.Unproven, "DEMO-0018": model.Unproven,
		"DEMO-0100": model.Failing, "DEMO-0101": model.Proven, "DEMO-0102": model.Failing,
		"DEMO-0103": model.Partial, "DEMO-0104": model.Failing, "DEMO-0105": model.Proven,
		"DEMO-0106": model.Failing, "DEMO-0107": model.Partial,
	}
	if len(rep.Requirements) != len(want) {
		t.Errorf("got %d requirements, want %d", len(rep.Requirements), len(want))
	}
	for _, q := range rep.Requirements {
		if q.Status != want[q.ID] {
			t.Errorf("%s = %s, want %s (tests %+v)", q.ID, q.Status, want[q.ID], q.Tests)
		}
	}
	if len(rep.Unknown) != 1 || rep.Unknown[0].ID != "NOPE-9999" {
		t.Errorf("unknown = %+v, want NOPE-9999", rep.Unknown)
	}
	if len(rep.Problems) != 2 {
		t.Errorf("problems = %+v, want the build and the package failure", rep.Problems)
	}
}

func TestGoTestsGetFileAndLine(t *testing.T) {
	t.Attr("req", "OC-TRACE-9004")
	rep, err := cli.Collect(fixture, []string{results + "gotest-all.json", results + "cucumber.json"})
	if err != nil {
		t.Fatal(err)
	}
	where := map[string]string{}
	for _, q := range rep.Requirements {
		for _, tt := range q.Tests {
			where[tt.Name] = tt.File + ":" + itoa(tt.Line)
		}
	}
	for name, w := range map[string]string{
		"TestPass":                                 "okpkg/ok_test.go:5",
		"TestSubFail/bad":                          "failpkg/fail_test.go:14",
		"Demo calculator: adding works":            "suite/features/demo.feature:6",
		"Never run: waiting for an implementation": "features/notrun.feature:5",
	} {
		if where[name] != w {
			t.Errorf("%s at %q, want %q", name, where[name], w)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// writeRepo makes a minimal repository with one MUST and one SHOULD and a
// go test -json stream in which the MUST's test has the given result.
func writeRepo(t *testing.T, mustResult string) (root, stream string) {
	t.Helper()
	root = t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, ".specs"), 0o755); err != nil {
		t.Fatal(err)
	}
	specs := "- [R-0001] MUST — The must. Body.\n- [R-0002] SHOULD — The should. Body.\n"
	if err := os.WriteFile(filepath.Join(root, ".specs", "r.md"), []byte(specs), 0o644); err != nil {
		t.Fatal(err)
	}
	stream = filepath.Join(root, "go.json")
	ev := `{"Action":"run","Package":"p","Test":"TestMust"}
{"Action":"attr","Package":"p","Test":"TestMust","Key":"req","Value":"R-0001"}
{"Action":"` + mustResult + `","Package":"p","Test":"TestMust"}
{"Action":"` + mustResult + `","Package":"p"}
`
	if err := os.WriteFile(stream, []byte(ev), 0o644); err != nil {
		t.Fatal(err)
	}
	return root, stream
}

func TestStrictPassesWhenMustsAreProven(t *testing.T) {
	t.Attr("req", "OC-TRACE-9003")
	root, stream := writeRepo(t, "pass")
	code, out, errs := run(t, "--root", root, "--results", stream, "--strict")
	if code != cli.OK {
		t.Fatalf("exit %d, want 0; stderr:\n%s", code, errs)
	}
	if !strings.Contains(out, "requirements: 1 proven, 0 failing, 0 partial, 1 unproven") {
		t.Errorf("stdout lacks the total:\n%s", out)
	}
}

func TestFailingReferenceFailsStrict(t *testing.T) {
	t.Attr("req", "OC-TRACE-9003")
	t.Attr("req", "OC-TRACE-9002")
	root, stream := writeRepo(t, "fail")
	rep, err := cli.Collect(root, []string{stream})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Requirements[0].ID != "R-0001" || rep.Requirements[0].Status != model.Failing {
		t.Fatalf("R-0001 = %+v, want failing", rep.Requirements[0])
	}
	code, _, errs := run(t, "--root", root, "--results", stream, "--strict")
	if code != cli.Gate || !strings.Contains(errs, "R-0001 is failing") {
		t.Fatalf("exit %d, stderr %q; want 1 naming R-0001", code, errs)
	}
	if code, _, _ := run(t, "--root", root, "--results", stream); code != cli.OK {
		t.Errorf("without --strict exit %d, want 0", code)
	}
}

func TestStrictGates(t *testing.T) {
	t.Attr("req", "OC-TRACE-9003")
	root, stream := writeRepo(t, "pass")
	cases := map[string]struct {
		stream string
		want   string
	}{
		"unproven must": {`{"Action":"pass","Package":"p"}` + "\n", "MUST R-0001 is unproven"},
		"skipped must": {`{"Action":"run","Package":"p","Test":"T"}
{"Action":"attr","Package":"p","Test":"T","Key":"req","Value":"R-0001"}
{"Action":"skip","Package":"p","Test":"T"}
{"Action":"pass","Package":"p"}
`, "MUST R-0001 is partial"},
		"unknown id": {`{"Action":"run","Package":"p","Test":"T"}
{"Action":"attr","Package":"p","Test":"T","Key":"req","Value":"R-0001 Q-7"}
{"Action":"pass","Package":"p","Test":"T"}
{"Action":"pass","Package":"p"}
`, "unknown ID Q-7"},
		"build failure": {`{"Action":"start","Package":"p"}
{"Action":"build-output","ImportPath":"p [p.test]","Output":"./x_test.go:3:1: syntax error\n"}
{"Action":"fail","Package":"p","FailedBuild":"p [p.test]"}
` + readLines(t, stream), "build-failed p"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Attr("req", "OC-TRACE-9003")
			f := filepath.Join(t.TempDir(), "s.json")
			if err := os.WriteFile(f, []byte(c.stream), 0o644); err != nil {
				t.Fatal(err)
			}
			code, _, errs := run(t, "--root", root, "--results", f, "--strict")
			if code != cli.Gate || !strings.Contains(errs, c.want) {
				t.Fatalf("exit %d, stderr %q; want 1 and %q", code, errs, c.want)
			}
		})
	}
}

func readLines(t *testing.T, path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestMinShould(t *testing.T) {
	t.Attr("req", "OC-TRACE-9003")
	root, stream := writeRepo(t, "pass")
	if code, _, _ := run(t, "--root", root, "--results", stream, "--min-should", "50"); code != cli.Gate {
		t.Errorf("0%% SHOULD proven passed --min-should 50 (exit %d)", code)
	}
	if code, _, _ := run(t, "--root", root, "--results", stream, "--min-should", "0"); code != cli.OK {
		t.Errorf("--min-should 0 exit %d, want 0", code)
	}
}

func TestUnreadableInputExits2WithPlace(t *testing.T) {
	t.Attr("req", "OC-TRACE-9003")
	root, stream := writeRepo(t, "pass")
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	badGo := write("bad.json", `{"Action":"run","Package":"p","Test":"T"}`+"\n"+`{"Action":"pass",`+"\n")
	badCuke := write("bad-cuke.json", "[\n {\"uri\": 3}\n]\n")
	neither := write("neither.txt", "\n\nPASS\n")
	badSpecRoot := t.TempDir()
	os.MkdirAll(filepath.Join(badSpecRoot, ".specs"), 0o755)
	os.WriteFile(filepath.Join(badSpecRoot, ".specs", "x.md"), []byte("ok\n- [X-1] no level\n"), 0o644)
	fenceRoot := t.TempDir()
	os.MkdirAll(filepath.Join(fenceRoot, ".specs"), 0o755)
	os.WriteFile(filepath.Join(fenceRoot, ".specs", "f.md"), []byte("- [R-0001] MUST — A.\n```\n- [R-0002] MUST — B.\n"), 0o644)
	cases := map[string]struct {
		args []string
		want string
	}{
		"bad go json":   {[]string{"--root", root, "--results", badGo}, badGo + ":2:"},
		"bad cucumber":  {[]string{"--root", root, "--results", badCuke}, badCuke + ":2:"},
		"neither":       {[]string{"--root", root, "--results", neither}, neither + ":3:"},
		"missing file":  {[]string{"--root", root, "--results", filepath.Join(dir, "nope.json")}, "nope.json"},
		"bad spec":      {[]string{"--root", badSpecRoot}, ".specs/x.md:2:"},
		"no specs":      {[]string{"--root", dir}, "no specs directory"},
		"open fence":    {[]string{"--root", fenceRoot}, ".specs/f.md:2: code fence"},
		"unknown flag":  {[]string{"--colour"}, "colour"},
		"stray arg":     {[]string{"--root", root, "extra"}, "extra"},
		"bad format":    {[]string{"--root", root, "--format", "pdf"}, "pdf"},
		"bad threshold": {[]string{"--root", root, "--min-should", "120"}, "120"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Attr("req", "OC-TRACE-9003")
			code, _, errs := run(t, append(c.args, "--strict")...)
			if code != cli.Usage || !strings.Contains(errs, c.want) {
				t.Fatalf("exit %d, stderr %q; want 2 and %q", code, errs, c.want)
			}
		})
	}
	_ = stream
}

func TestHelp(t *testing.T) {
	t.Attr("req", "OC-TRACE-9004")
	code, _, errs := run(t, "--help")
	if code != cli.OK || !strings.Contains(errs, "--results") || !strings.Contains(errs, "Exit status") {
		t.Errorf("help exit %d:\n%s", code, errs)
	}
}

func TestReportsAreWritten(t *testing.T) {
	t.Attr("req", "OC-TRACE-9004")
	out := filepath.Join(t.TempDir(), "reports")
	code, stdout, errs := run(t, append(fixtureArgs(), "--out", out)...)
	if code != cli.OK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if got := strings.Join(names, " "); got != "coverage.html coverage.json coverage.md coverage.xml" {
		t.Errorf("files = %s (no temp file may remain)", got)
	}
	if !strings.Contains(stdout, "| MUST | 20 | 9 | 8 | 1 | 2 |") {
		t.Errorf("summary table missing or wrong:\n%s", stdout)
	}
	out2 := filepath.Join(t.TempDir(), "r")
	if code, _, _ := run(t, append(fixtureArgs(), "--out", out2, "--format", "json,markdown")...); code != cli.OK {
		t.Fatal("format subset failed")
	}
	entries, _ = os.ReadDir(out2)
	if len(entries) != 2 {
		t.Errorf("--format json,markdown wrote %d files, want 2", len(entries))
	}
}

func TestOwnReportIsSkipped(t *testing.T) {
	t.Attr("req", "OC-TRACE-9004")
	root, stream := writeRepo(t, "pass")
	out := filepath.Join(t.TempDir(), "reports")
	if code, _, errs := run(t, "--root", root, "--results", stream, "--out", out); code != cli.OK {
		t.Fatal(errs)
	}
	code, stdout, errs := run(t, "--root", root, "--results", stream, "--results", filepath.Join(out, "coverage.json"))
	if code != cli.OK || !strings.Contains(errs, "coverage.json: skipped") || !strings.Contains(stdout, "1 proven") {
		t.Errorf("exit %d, stderr %q, stdout:\n%s", code, errs, stdout)
	}
}

func TestDiff(t *testing.T) {
	t.Attr("req", "OC-TRACE-9005")
	root, pass := writeRepo(t, "pass")
	_, fail := writeRepo(t, "fail")
	dir := t.TempDir()
	if code, _, e := run(t, "--root", root, "--results", pass, "--out", filepath.Join(dir, "old"), "--format", "json"); code != 0 {
		t.Fatal(e)
	}
	if code, _, e := run(t, "--root", root, "--results", fail, "--out", filepath.Join(dir, "new"), "--format", "json"); code != 0 {
		t.Fatal(e)
	}
	old, cur := filepath.Join(dir, "old", "coverage.json"), filepath.Join(dir, "new", "coverage.json")
	code, out, _ := run(t, "diff", "--fail-on-regression", old, cur)
	if code != cli.Gate || !strings.Contains(out, "Newly failing: 1\n- R-0001 MUST (proven → failing)") {
		t.Errorf("diff exit %d:\n%s", code, out)
	}
	code, out, _ = run(t, "diff", "--fail-on-regression", cur, old)
	if code != cli.OK || !strings.Contains(out, "Newly proven: 1") {
		t.Errorf("reverse diff exit %d:\n%s", code, out)
	}
	if code, _, _ := run(t, "diff", old); code != cli.Usage {
		t.Errorf("one file: exit %d, want 2", code)
	}
	if code, _, errs := run(t, "diff", old, pass); code != cli.Usage || !strings.Contains(errs, pass) {
		t.Errorf("non-report input: exit %d, %q", code, errs)
	}
}
