package gotest_test

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"orchcore.dev/tools/spec-trace/internal/golden"
	"orchcore.dev/tools/spec-trace/internal/gotest"
	"orchcore.dev/tools/spec-trace/internal/model"
)

const results = "../../testdata/results/"

func parseFile(t *testing.T, name string) gotest.Result {
	t.Helper()
	f, err := os.Open(results + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	res, err := gotest.Parse(f, name)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func byName(res gotest.Result) map[string]model.Test {
	out := map[string]model.Test{}
	for _, tt := range res.Tests {
		out[tt.Name] = tt
	}
	return out
}

// The expectations below were written by hand from the sources in
// testdata/fixture, not derived from the parser.
func TestCapturedStream(t *testing.T) {
	t.Attr("req", "OC-TRACE-9002")
	res := parseFile(t, "gotest-all.json")
	got := byName(res)
	want := []struct {
		name, status, reqs string
		note               string // a part the note must hold; "" for none
	}{
		{"TestPass", model.Passed, "DEMO-0001", ""},
		{"TestSkip", model.Skipped, "DEMO-0002", ""},
		{"TestParent", model.Passed, "DEMO-0003", ""},
		{"TestParent/child_ok", model.Passed, "DEMO-0004", ""},
		{"TestParent/child_skip", model.Skipped, "DEMO-0005", ""},
		{"TestRange", model.Passed, "DEMO-0010 DEMO-0011 DEMO-0012", ""},
		{"TestGood", model.Passed, "DEMO-0001", ""},
		{"TestBad", model.Failed, "DEMO-0006", "fail_test.go:11: boom"},
		{"TestSubFail", model.Failed, "DEMO-0007", ""},
		{"TestSubFail/bad", model.Failed, "DEMO-0008", "fail_test.go:18: sub boom"},
		{"TestSubFail/good", model.Passed, "DEMO-0009", ""},
		{"TestUnknown", model.Passed, "NOPE-9999", ""},
		{"TestLooksFine", model.Failed, "DEMO-0014", "package failed afterwards"},
		{"TestBeforePanic", model.Passed, "DEMO-0015", ""},
		{"TestPanics", model.Failed, "DEMO-0016", "panic: assignment to entry in nil map"},
	}
	for _, w := range want {
		g, ok := got[w.name]
		if !ok {
			t.Errorf("%s: missing", w.name)
			continue
		}
		noteOK := (w.note == "" && g.Note == "") || (w.note != "" && strings.Contains(g.Note, w.note))
		if g.Status != w.status || strings.Join(g.Reqs, " ") != w.reqs || !noteOK {
			t.Errorf("%s = %s %v note %q; want %s %s note %q", w.name, g.Status, g.Reqs, g.Note, w.status, w.reqs, w.note)
		}
	}
	if len(res.Tests) != len(want) {
		t.Errorf("got %d referencing tests, want %d", len(res.Tests), len(want))
	}
	if _, ok := got["TestAfterPanic"]; ok {
		t.Error("TestAfterPanic never ran but was reported")
	}
}

func TestBuildAndPackageFailures(t *testing.T) {
	t.Attr("req", "OC-TRACE-9003")
	res := parseFile(t, "gotest-all.json")
	want := map[string]model.Problem{
		"example.test/sample/buildfail": {Kind: model.BuildFailed, File: "buildfail/bf_test.go", Line: 7},
		"example.test/sample/mainfail":  {Kind: model.PackageFailed},
	}
	if len(res.Problems) != len(want) {
		t.Fatalf("problems = %+v, want 2", res.Problems)
	}
	for _, p := range res.Problems {
		w, ok := want[p.Package]
		if !ok || p.Kind != w.Kind || p.File != w.File || p.Line != w.Line || p.Message == "" {
			t.Errorf("problem %+v, want %+v", p, w)
		}
	}
}

func TestCachedStreamReadsTheSame(t *testing.T) {
	t.Attr("req", "OC-TRACE-9002")
	res := parseFile(t, "gotest-cached.json")
	got := byName(res)
	for name, status := range map[string]string{
		"TestPass": model.Passed, "TestSkip": model.Skipped, "TestParent/child_ok": model.Passed,
	} {
		if got[name].Status != status {
			t.Errorf("%s = %q, want %q", name, got[name].Status, status)
		}
	}
	if len(res.Problems) != 0 {
		t.Errorf("problems = %v, want none", res.Problems)
	}
}

func TestRepeatedRunsMerge(t *testing.T) {
	t.Attr("req", "OC-TRACE-9002")
	got := byName(parseFile(t, "gotest-count2.json"))
	if g := got["TestBad"]; g.Status != model.Failed || len(g.Reqs) != 1 {
		t.Errorf("TestBad = %+v, want failed once-listed DEMO-0006", g)
	}
	if g := got["TestGood"]; g.Status != model.Passed {
		t.Errorf("TestGood = %+v, want passed", g)
	}
}

func TestFlakyRunFails(t *testing.T) {
	t.Attr("req", "OC-TRACE-9002")
	stream := `{"Action":"run","Package":"p","Test":"TestF"}
{"Action":"attr","Package":"p","Test":"TestF","Key":"req","Value":"A-1, A-2"}
{"Action":"pass","Package":"p","Test":"TestF"}
{"Action":"run","Package":"p","Test":"TestF"}
{"Action":"fail","Package":"p","Test":"TestF"}
{"Action":"fail","Package":"p"}
`
	res, err := gotest.Parse(strings.NewReader(stream), "s")
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Tests) != 1 || res.Tests[0].Status != model.Failed || strings.Join(res.Tests[0].Reqs, ",") != "A-1,A-2" {
		t.Errorf("tests = %+v, want TestF failed with A-1,A-2", res.Tests)
	}
}

func TestTruncatedStream(t *testing.T) {
	t.Attr("req", "OC-TRACE-9002")
	stream := `{"Action":"run","Package":"p","Test":"TestT"}
{"Action":"attr","Package":"p","Test":"TestT","Key":"req","Value":"A-1"}
`
	res, err := gotest.Parse(strings.NewReader(stream), "s")
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Tests) != 1 || res.Tests[0].Status != model.Failed || res.Tests[0].Note == "" {
		t.Errorf("tests = %+v, want one failed test with a note", res.Tests)
	}
}

func TestUnreferencedFailureIsAProblem(t *testing.T) {
	t.Attr("req", "OC-TRACE-9003")
	stream := `{"Action":"run","Package":"p","Test":"TestX"}
{"Action":"fail","Package":"p","Test":"TestX"}
{"Action":"fail","Package":"p"}
`
	res, err := gotest.Parse(strings.NewReader(stream), "s")
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Tests) != 0 || len(res.Problems) != 1 || res.Problems[0].Kind != model.TestFailed {
		t.Errorf("got %+v, want one test-failed problem", res)
	}
}

func TestOnlyInnermostOrphanFailuresAreProblems(t *testing.T) {
	t.Attr("req", "OC-TRACE-9003")
	stream := `{"Action":"run","Package":"p","Test":"TestRef"}
{"Action":"attr","Package":"p","Test":"TestRef","Key":"req","Value":"A-1"}
{"Action":"run","Package":"p","Test":"TestRef/scenario"}
{"Action":"fail","Package":"p","Test":"TestRef/scenario"}
{"Action":"fail","Package":"p","Test":"TestRef"}
{"Action":"run","Package":"p","Test":"TestOrphan"}
{"Action":"run","Package":"p","Test":"TestOrphan/leaf"}
{"Action":"fail","Package":"p","Test":"TestOrphan/leaf"}
{"Action":"fail","Package":"p","Test":"TestOrphan"}
{"Action":"fail","Package":"p"}
`
	res, err := gotest.Parse(strings.NewReader(stream), "s")
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Problems) != 1 || res.Problems[0].Test != "TestOrphan/leaf" {
		t.Errorf("problems = %+v, want only TestOrphan/leaf", res.Problems)
	}
	if len(res.Tests) != 1 || res.Tests[0].Name != "TestRef" || res.Tests[0].Status != model.Failed {
		t.Errorf("tests = %+v, want TestRef failed", res.Tests)
	}
}

func TestFailureNoteKeepsLastLines(t *testing.T) {
	t.Attr("req", "OC-TRACE-9004")
	stream := `{"Action":"run","Package":"p","Test":"T"}
{"Action":"output","Package":"p","Test":"T","Output":"=== RUN   T\n"}
{"Action":"attr","Package":"p","Test":"T","Key":"req","Value":"A-1"}
{"Action":"output","Package":"p","Test":"T","Output":"    x_test.go:3: one\n"}
{"Action":"output","Package":"p","Test":"T","Output":"    x_test.go:4: two\n"}
{"Action":"output","Package":"p","Test":"Other","Output":"    y_test.go:1: not mine\n"}
{"Action":"output","Package":"p","Test":"T","Output":"    x_test.go:5: want \"a\"\tgot \u003cb\u003e\n"}
{"Action":"output","Package":"p","Test":"T","Output":"    x_test.go:6: last\n"}
{"Action":"output","Package":"p","Test":"T","Output":"--- FAIL: T (0.00s)\n"}
{"Action":"fail","Package":"p","Test":"T"}
{"Action":"fail","Package":"p"}
`
	res, err := gotest.Parse(strings.NewReader(stream), "s")
	if err != nil {
		t.Fatal(err)
	}
	want := "x_test.go:4: two | x_test.go:5: want \"a\"\tgot <b> | x_test.go:6: last"
	if len(res.Tests) != 1 || res.Tests[0].Note != want {
		t.Errorf("note = %q, want %q", res.Tests[0].Note, want)
	}
}

func TestMalformedLines(t *testing.T) {
	t.Attr("req", "OC-TRACE-9003")
	cases := map[string]struct {
		in   string
		line int
	}{
		"garbage":    {"{\"Action\":\"run\",\"Package\":\"p\",\"Test\":\"T\"}\nhello\n", 2},
		"truncated":  {"{\"Action\":\"run\",\"Package\":\"p\"}\n\n{\"Action\":\"pass\",\"Pack", 3},
		"bad json":   {"{\"Action\":\"run\",\"Package\":}\n", 1},
		"no action":  {"{\"Action\":\"start\",\"Package\":\"p\"}\n{\"schema\":\"x\"}\n", 2},
		"cut output": {"{\"Action\":\"output\",\"Output\":\"x\n", 1},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Attr("req", "OC-TRACE-9003")
			_, err := gotest.Parse(strings.NewReader(c.in), "r.json")
			var e *gotest.Error
			if !errors.As(err, &e) || e.File != "r.json" || e.Line != c.line {
				t.Fatalf("err = %v, want a gotest.Error at r.json:%d", err, c.line)
			}
		})
	}
}

func TestLongOutputLineIsSkipped(t *testing.T) {
	t.Attr("req", "OC-TRACE-9002")
	long := `{"Action":"output","Package":"p","Test":"T","Output":"` + strings.Repeat("x", 3<<20) + `"}`
	stream := `{"Action":"run","Package":"p","Test":"T"}
{"Action":"attr","Package":"p","Test":"T","Key":"req","Value":"A-1"}
` + long + `
{"Action":"pass","Package":"p","Test":"T"}
`
	res, err := gotest.Parse(strings.NewReader(stream), "s")
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Tests) != 1 || res.Tests[0].Status != model.Passed {
		t.Errorf("tests = %+v, want T passed", res.Tests)
	}
}

func TestGolden(t *testing.T) {
	t.Attr("req", "OC-TRACE-9002")
	for _, name := range []string{"gotest-all.json", "gotest-cached.json", "gotest-count2.json"} {
		t.Run(name, func(t *testing.T) {
			t.Attr("req", "OC-TRACE-9002")
			res := parseFile(t, name)
			type view struct {
				model.Test
				Reqs []string `json:"reqs"`
			}
			var out struct {
				Tests    []view          `json:"tests"`
				Problems []model.Problem `json:"problems"`
			}
			for _, tt := range res.Tests {
				out.Tests = append(out.Tests, view{tt, tt.Reqs})
			}
			out.Problems = res.Problems
			b, err := json.MarshalIndent(out, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden.Check(t, "testdata/"+strings.TrimSuffix(name, ".json")+".golden", append(b, '\n'))
		})
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"gotest-all.json", "gotest-count2.json", "gotest-crash.json"} {
		b, err := os.ReadFile(results + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Add("{\"Action\":\"attr\",\"Package\":\"p\",\"Test\":\"T\",\"Key\":\"req\",\"Value\":\"A-1..3\"}\n")
	f.Fuzz(func(t *testing.T, s string) {
		res, err := gotest.Parse(strings.NewReader(s), "f")
		if err != nil {
			var e *gotest.Error
			if !errors.As(err, &e) || e.Line < 1 {
				t.Fatalf("error without a line: %v", err)
			}
			return
		}
		for _, tt := range res.Tests {
			switch tt.Status {
			case model.Passed, model.Failed, model.Skipped, model.NotRun:
			default:
				t.Fatalf("test %q has status %q", tt.Name, tt.Status)
			}
			if len(tt.Reqs) == 0 {
				t.Fatalf("test %q kept without references", tt.Name)
			}
		}
	})
}
