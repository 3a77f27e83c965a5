package gotest_test

import (
	"strings"
	"testing"

	"orchcore.dev/tools/spec-trace/internal/gotest"
	"orchcore.dev/tools/spec-trace/internal/model"
)

// gotest-crash.json is captured from testdata/fixture/crash with
// -timeout=2s. There, no test event says "fail" for the test that hung or
// whose goroutine panicked; only the package fails. The expectations were
// written by hand from those sources.
func TestCrashBlamesTheUnfinishedTest(t *testing.T) {
	t.Attr("req", "OC-TRACE-9002")
	t.Attr("req", "OC-TRACE-9003")
	res := parseFile(t, "gotest-crash.json")
	got := byName(res)
	want := []struct{ name, status, reqs, note string }{
		{"TestQuick", model.Passed, "DEMO-0018", ""},
		{"TestSlow", model.Failed, "DEMO-0019", "panic: test timed out after 2s"},
		{"TestFine", model.Passed, "DEMO-0020", ""},
		{"TestCalm", model.Passed, "DEMO-0021", ""},
		{"TestGoPanic", model.Failed, "DEMO-0022", "panic: assignment to entry in nil map"},
	}
	for _, w := range want {
		g, ok := got[w.name]
		noteOK := (w.note == "" && g.Note == "") || (w.note != "" && strings.Contains(g.Note, w.note))
		if !ok || g.Status != w.status || strings.Join(g.Reqs, " ") != w.reqs || !noteOK {
			t.Errorf("%s = %+v; want %s %s note %q", w.name, g, w.status, w.reqs, w.note)
		}
	}
	if len(res.Tests) != len(want) {
		t.Errorf("got %d referencing tests, want %d", len(res.Tests), len(want))
	}
	// TestHang references nothing; its timeout must still be reported, and
	// the three failed packages are accounted for by their unfinished tests.
	if len(res.Problems) != 1 {
		t.Fatalf("problems = %+v, want only TestHang", res.Problems)
	}
	p := res.Problems[0]
	if p.Kind != model.TestFailed || p.Package != "example.test/crash/hangpkg" || p.Test != "TestHang" ||
		!strings.Contains(p.Message, "test timed out after 2s") {
		t.Errorf("problem = %+v, want TestHang failed with its timeout", p)
	}
}

// A package that fails with no failed and no unfinished test (TestMain
// exit, leak check) still demotes its passed tests.
func TestUnexplainedPackageFailureDemotesPasses(t *testing.T) {
	t.Attr("req", "OC-TRACE-9002")
	stream := `{"Action":"run","Package":"p","Test":"TestA"}
{"Action":"attr","Package":"p","Test":"TestA","Key":"req","Value":"A-1"}
{"Action":"pass","Package":"p","Test":"TestA"}
{"Action":"output","Package":"p","Output":"FAIL\n"}
{"Action":"fail","Package":"p"}
`
	res := parse(t, stream)
	if len(res.Tests) != 1 || res.Tests[0].Status != model.Failed {
		t.Errorf("tests = %+v, want TestA demoted to failed", res.Tests)
	}
	if len(res.Problems) != 1 || res.Problems[0].Kind != model.PackageFailed {
		t.Errorf("problems = %+v, want one package failure", res.Problems)
	}
}

func parse(t *testing.T, stream string) gotest.Result {
	t.Helper()
	res, err := gotest.Parse(strings.NewReader(stream), "s")
	if err != nil {
		t.Fatal(err)
	}
	return res
}
