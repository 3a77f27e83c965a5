package feature_test

import (
	"errors"
	"os"
	"strings"
	"testing"

	"orchcore.dev/tools/spec-trace/internal/feature"
	"orchcore.dev/tools/spec-trace/internal/model"
)

func TestCapturedFeature(t *testing.T) {
	t.Attr("req", "OC-TRACE-9002")
	f, err := os.Open("../../testdata/fixture/suite/features/demo.feature")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := feature.Parse(f, "suite/features/demo.feature")
	if err != nil {
		t.Fatal(err)
	}
	// Lines and tags as written in the file (and as godog reports them).
	want := []struct {
		line int
		reqs string
	}{
		{6, "DEMO-0100 DEMO-0101"},
		{12, "DEMO-0100 DEMO-0102"},
		{18, "DEMO-0100 DEMO-0103"},
		{32, "DEMO-0100 DEMO-0104 DEMO-0105"},
		{33, "DEMO-0100 DEMO-0104 DEMO-0105"},
		{38, "DEMO-0100 DEMO-0104 DEMO-0106"},
		{40, "DEMO-0100"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d tests, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.Line != w.line || strings.Join(g.Reqs, " ") != w.reqs || g.Status != model.NotRun || g.File != "suite/features/demo.feature" {
			t.Errorf("test %d = %+v, want line %d reqs %s notrun", i, g, w.line, w.reqs)
		}
	}
}

func TestRulesCarryTags(t *testing.T) {
	t.Attr("req", "OC-TRACE-9002")
	src := "@A-1\nFeature: f\n\n  @A-2\n  Rule: r\n\n    @A-3\n    Scenario: s\n      Given x\n"
	got, err := feature.Parse(strings.NewReader(src), "r.feature")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Line != 8 || strings.Join(got[0].Reqs, " ") != "A-1 A-2 A-3" {
		t.Errorf("got %+v", got)
	}
}

func TestSyntaxErrorNamesLine(t *testing.T) {
	t.Attr("req", "OC-TRACE-9003")
	src := "Feature: f\n  Scenario: s\n    Given x\n  Nonsense here\n"
	_, err := feature.Parse(strings.NewReader(src), "bad.feature")
	var e *feature.Error
	if !errors.As(err, &e) || e.File != "bad.feature" || e.Line != 4 {
		t.Fatalf("err = %v, want bad.feature:4", err)
	}
}

func FuzzParse(f *testing.F) {
	b, err := os.ReadFile("../../testdata/fixture/suite/features/demo.feature")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(b))
	f.Add("@A-1..2\nFeature: f\n  Rule: r\n    Scenario Outline: o\n      Given <x>\n      Examples:\n        | x |\n        | 1 |\n")
	f.Fuzz(func(t *testing.T, s string) {
		got, err := feature.Parse(strings.NewReader(s), "f.feature")
		if err != nil {
			var e *feature.Error
			if !errors.As(err, &e) || e.Line < 1 {
				t.Fatalf("error without a line: %v", err)
			}
			return
		}
		for _, tt := range got {
			if tt.Line < 1 || tt.Status != model.NotRun {
				t.Fatalf("test %+v", tt)
			}
		}
	})
}
