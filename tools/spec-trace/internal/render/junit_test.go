package render_test

import (
	"encoding/xml"
	"strings"
	"testing"

	"orchcore.dev/tools/spec-trace/internal/model"
	"orchcore.dev/tools/spec-trace/internal/render"
)

// A CI that reads only the XML must see red when --strict is red: build
// and package failures, unreferenced test failures and unknown IDs are
// failing testcases of their own suite.
func TestJUnitListsProblems(t *testing.T) {
	t.Attr("req", "OC-TRACE-9004")
	t.Attr("req", "OC-TRACE-9003")
	rep := fixtureReport(t)
	var doc struct {
		Failures int `xml:"failures,attr"`
		Tests    int `xml:"tests,attr"`
		Suites   []struct {
			Name     string `xml:"name,attr"`
			Failures int    `xml:"failures,attr"`
			Cases    []struct {
				Name    string `xml:"name,attr"`
				Failure *struct {
					Message string `xml:"message,attr"`
				} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal([]byte(renderTo(t, render.JUnit, rep)), &doc); err != nil {
		t.Fatal(err)
	}
	reqCases, found := 0, false
	for _, s := range doc.Suites {
		if s.Name != "spec-trace problems" {
			reqCases += len(s.Cases)
			continue
		}
		found = true
		// Fixture: buildfail did not build, mainfail failed outside its
		// tests, and TestUnknown references the undefined NOPE-9999.
		var names []string
		for _, c := range s.Cases {
			names = append(names, c.Name)
			if c.Failure == nil || c.Failure.Message == "" {
				t.Errorf("problem case %q does not fail with a message", c.Name)
			}
		}
		got := strings.Join(names, "\n")
		for _, want := range []string{"build-failed example.test/sample/buildfail", "package-failed example.test/sample/mainfail", "unknown ID NOPE-9999"} {
			if !strings.Contains(got, want) {
				t.Errorf("problem cases lack %q:\n%s", want, got)
			}
		}
		if len(s.Cases) != 3 || s.Failures != 3 {
			t.Errorf("problems suite: %d cases, %d failures; want 3 and 3", len(s.Cases), s.Failures)
		}
	}
	if !found {
		t.Fatal("no \"spec-trace problems\" testsuite")
	}
	// 26 requirement cases (12 failing) plus the 3 problems.
	if reqCases != 26 || doc.Tests != 29 || doc.Failures != 15 {
		t.Errorf("requirement cases %d, tests=%d failures=%d; want 26, 29, 15", reqCases, doc.Tests, doc.Failures)
	}
}

// A waived MUST is skipped, not failed, in the XML (--strict accepts it);
// an expired waiver is a failing case of the problems suite.
func TestJUnitWaivers(t *testing.T) {
	t.Attr("req", "OC-TRACE-9010")
	rep := model.Build([]model.Requirement{{ID: "X-1", Level: model.Must, Title: "t"}, {ID: "X-2", Level: model.Must, Title: "u"}}, nil, nil)
	rep.Requirements[0].Status, rep.Requirements[0].Was = model.Waived, model.Unproven
	rep.Requirements[0].Waiver = &model.Waiver{Owner: "ana", Expires: "2026-12-31", Reason: "later"}
	rep.Gates = []string{"waiver for MUST X-2 (w.yaml:6, owner bo) expired on 2026-06-30; X-2 is unproven"}
	rep.Recount(0)
	out := renderTo(t, render.JUnit, &rep)
	if !strings.Contains(out, `<skipped message="MUST X-1 is waived (was unproven) until 2026-12-31 by ana: later">`) {
		t.Errorf("waived MUST not skipped:\n%s", out)
	}
	if !strings.Contains(out, `<failure type="gate" message="waiver for MUST X-2 (w.yaml:6, owner bo) expired on 2026-06-30; X-2 is unproven">`) {
		t.Errorf("expired waiver not a failing case:\n%s", out)
	}
}
