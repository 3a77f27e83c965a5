package junit_test

import (
	"errors"
	"os"
	"strings"
	"testing"

	"orchcore.dev/tools/spec-trace/internal/junit"
	"orchcore.dev/tools/spec-trace/internal/model"
)

func parseFile(t *testing.T, name string) map[string]model.Test {
	t.Helper()
	f, err := os.Open("../../testdata/results/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ts, err := junit.Parse(f, name)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]model.Test{}
	for _, tt := range ts {
		if tt.Kind != model.KindJUnit {
			t.Errorf("%s: kind %s", tt.Name, tt.Kind)
		}
		out[tt.Name] = tt
	}
	return out
}

func check(t *testing.T, got map[string]model.Test, name, status, reqs string) {
	t.Helper()
	tt, ok := got[name]
	if !ok {
		t.Errorf("%s not read", name)
		return
	}
	if tt.Status != status || strings.Join(tt.Reqs, ",") != reqs {
		t.Errorf("%s: %s %v; want %s %s", name, tt.Status, tt.Reqs, status, reqs)
	}
}

// Captured with gotestsum v1.13.0 --junitfile --rerun-fails=2 (see
// testdata/capture.sh). gotestsum keeps only the last req attribute of a
// test (TestSteady set DEMO-0003 and DEMO-0009), a quirk of its writer.
func TestGotestsumJUnit(t *testing.T) {
	t.Attr("req", "OC-TRACE-9012")
	got := parseFile(t, "gotestsum-junit.xml")
	check(t, got, "TestFlaky", model.FlakyRun, "DEMO-0001")
	check(t, got, "TestSteady", model.Passed, "DEMO-0009")
	check(t, got, "TestJPass", model.Passed, "DEMO-0101")
	check(t, got, "TestJFail", model.Failed, "DEMO-0102")
	check(t, got, "TestJSkip", model.Skipped, "DEMO-0103")
	check(t, got, "TestJParent/child", model.Passed, "DEMO-0104")
	if a := got["TestJFail"].Attempts; len(a) != 3 {
		t.Errorf("TestJFail attempts %v, want 3", a)
	}
	if _, ok := got["TestJParent"]; ok {
		t.Error("a test case without a req property was kept")
	}
	if n := got["TestJFail"].Note; !strings.Contains(n, "junit_test.go:13: fails on purpose") {
		t.Errorf("failure note %q", n)
	}
	if p := got["TestJPass"].Package; p != "example.test/rerun/junitpkg" {
		t.Errorf("package %q", p)
	}
}

// Written to match pytest's junitxml (xunit2 family, record_property).
func TestPytestJUnit(t *testing.T) {
	t.Attr("req", "OC-TRACE-9012")
	got := parseFile(t, "pytest-junit.xml")
	check(t, got, "test_admits_in_order", model.Passed, "DEMO-0010")
	check(t, got, "test_rejects_over_budget", model.Failed, "DEMO-0011,DEMO-0012")
	check(t, got, "test_needs_gpu", model.Skipped, "DEMO-0015")
	check(t, got, "test_known_bug", model.Skipped, "DEMO-0016")
	check(t, got, "test_db", model.Failed, "DEMO-0017")
	if len(got) != 5 {
		t.Errorf("%d test cases read, want the 5 with req properties", len(got))
	}
	if n := got["test_db"].Note; !strings.HasPrefix(n, "error: failed on setup with") {
		t.Errorf("error note %q", n)
	}
}

// Written to match GoogleTest's --gtest_output=xml (1.12 and later).
func TestGoogleTestJUnit(t *testing.T) {
	t.Attr("req", "OC-TRACE-9012")
	got := parseFile(t, "gtest-junit.xml")
	check(t, got, "AdmitsInOrder", model.Passed, "DEMO-0100")
	check(t, got, "RejectsOverBudget", model.Failed, "DEMO-0105,DEMO-0106")
	check(t, got, "NeedsGpu", model.Skipped, "DEMO-0107")
	check(t, got, "OldStyleProperty", model.Passed, "DEMO-0002")
	if tt := got["AdmitsInOrder"]; tt.File != "sched_test.cc" || tt.Line != 12 || tt.Package != "Sched" {
		t.Errorf("place %s:%d in %s", tt.File, tt.Line, tt.Package)
	}
	ts, err := junit.Parse(strings.NewReader(`<testsuites><testsuite><testcase name="Off" status="notrun" classname="S" req="A-1"/></testsuite></testsuites>`), "x.xml")
	if err != nil || len(ts) != 1 || ts[0].Status != model.NotRun {
		t.Errorf("a disabled test: %+v %v; want not run", ts, err)
	}
}

func TestNotJUnit(t *testing.T) {
	t.Attr("req", "OC-TRACE-9012")
	for _, c := range []struct{ src, want string }{
		{"<html>\n<body/></html>", "x.xml:1: root element <html>; want JUnit XML, whose root is <testsuites> or <testsuite>"},
		{"<?xml version=\"1.0\"?>\n\n<report/>", "x.xml:3: root element <report>"},
		{"<testsuites>\n<testsuite>\n<testcase name=\"a\">\n</testsuites>", "x.xml:4: not well-formed XML"},
		{"<?xml version=\"1.0\"?>", "x.xml:1: no XML element"},
		{"<testsuite><testcase name=\"a\" line=\"x\"><properties><property name=\"req\" value=\"A-1\"></properties></testcase></testsuite>", "x.xml:1: not well-formed XML"},
	} {
		_, err := junit.Parse(strings.NewReader(c.src), "x.xml")
		var je *junit.Error
		if err == nil || !errors.As(err, &je) || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%q: %v; want %q", c.src, err, c.want)
		}
	}
}

func FuzzJUnit(f *testing.F) {
	for _, name := range []string{"gotestsum-junit.xml", "pytest-junit.xml", "gtest-junit.xml"} {
		b, err := os.ReadFile("../../testdata/results/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ts, err := junit.Parse(strings.NewReader(string(data)), "f.xml")
		if err != nil {
			var je *junit.Error
			if !errors.As(err, &je) || je.Line < 1 {
				t.Fatalf("error without a line: %#v", err)
			}
			return
		}
		for _, tt := range ts {
			if len(tt.Reqs) == 0 || tt.Kind != model.KindJUnit {
				t.Fatalf("test without a reference kept: %+v", tt)
			}
			switch tt.Status {
			case model.Passed, model.Failed, model.Skipped, model.NotRun, model.FlakyRun:
			default:
				t.Fatalf("status %q", tt.Status)
			}
		}
	})
}
