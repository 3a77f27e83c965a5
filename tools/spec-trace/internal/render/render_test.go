package render_test

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"regexp"
	"strings"
	"testing"

	"orchcore.dev/tools/spec-trace/internal/cli"
	"orchcore.dev/tools/spec-trace/internal/golden"
	"orchcore.dev/tools/spec-trace/internal/model"
	"orchcore.dev/tools/spec-trace/internal/render"
)

func fixtureReport(t *testing.T) *model.Report {
	t.Helper()
	const r = "../../testdata/results/"
	rep, err := cli.Collect("../../testdata/fixture", []string{r + "gotest-all.json", r + "cucumber.json"})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func renderTo(t *testing.T, f func(io.Writer, *model.Report) error, rep *model.Report) string {
	t.Helper()
	var b bytes.Buffer
	if err := f(&b, rep); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestGoldenReports(t *testing.T) {
	t.Attr("req", "OC-TRACE-9004")
	rep := fixtureReport(t)
	for name, f := range map[string]func(io.Writer, *model.Report) error{
		"coverage.md": render.Markdown, "coverage.json": render.JSON, "coverage.xml": render.JUnit,
		"coverage.html": render.HTML, "summary.txt": render.Summary,
	} {
		t.Run(name, func(t *testing.T) {
			t.Attr("req", "OC-TRACE-9004")
			golden.Check(t, "testdata/"+name, []byte(renderTo(t, f, rep)))
		})
	}
}

func TestRenderingIsDeterministic(t *testing.T) {
	t.Attr("req", "OC-TRACE-9004")
	a := renderTo(t, render.JSON, fixtureReport(t))
	b := renderTo(t, render.JSON, fixtureReport(t))
	if a != b {
		t.Error("two runs on the same input gave different JSON")
	}
}

func TestJSONRoundTrip(t *testing.T) {
	t.Attr("req", "OC-TRACE-9004")
	rep := fixtureReport(t)
	js := renderTo(t, render.JSON, rep)
	back, err := render.ReadJSON(strings.NewReader(js), "c.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(back.Requirements) != 26 || back.Requirements[0].ID != "DEMO-0001" || back.Schema != "spec-trace/v2" {
		t.Errorf("round trip lost data: %d requirements, first %s", len(back.Requirements), back.Requirements[0].ID)
	}
	for _, field := range []string{`"id"`, `"level"`, `"title"`, `"file"`, `"line"`, `"status"`, `"tests"`, `"name"`, `"kind"`} {
		if !strings.Contains(js, field+":") {
			t.Errorf("JSON lacks %s", field)
		}
	}
	if _, err := render.ReadJSON(strings.NewReader(`{"schema":"other/v9"}`), "x.json"); err == nil {
		t.Error("a foreign schema was accepted")
	}
}

func TestJUnitOneCasePerRequirement(t *testing.T) {
	t.Attr("req", "OC-TRACE-9004")
	rep := fixtureReport(t)
	var doc struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Skipped  int `xml:"skipped,attr"`
		Suites   []struct {
			Name  string `xml:"name,attr"`
			Cases []struct {
				Name    string    `xml:"name,attr"`
				Failure *struct{} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal([]byte(renderTo(t, render.JUnit, rep)), &doc); err != nil {
		t.Fatal(err)
	}
	cases := 0
	for _, s := range doc.Suites {
		if s.Name != render.ProblemSuite {
			cases += len(s.Cases)
		}
	}
	// Fixture: 26 requirements; failing 9, plus 3 MUSTs not proven = 12
	// failures; SHOULDs not proven (partial 3, unproven 1) = 4 skipped.
	// The 3 problems (TestJUnitListsProblems) add 3 tests and 3 failures.
	if cases != 26 || doc.Tests != 29 || doc.Failures != 15 || doc.Skipped != 4 {
		t.Errorf("junit: %d cases, tests=%d failures=%d skipped=%d", cases, doc.Tests, doc.Failures, doc.Skipped)
	}
}

func TestHTMLIsSelfContained(t *testing.T) {
	t.Attr("req", "OC-TRACE-9004")
	rep := fixtureReport(t)
	page := renderTo(t, render.HTML, rep)
	for _, bad := range []string{"http://", "https://", "<link", "src=", "@import", "url("} {
		if strings.Contains(page, bad) {
			t.Errorf("page refers to an external asset: contains %q", bad)
		}
	}
	for _, want := range []string{`id="f-area"`, `id="f-level"`, `id="f-status"`, `<option>DEMO</option>`,
		`<option>MUST</option>`, `<option>failing</option>`, "okpkg/ok_test.go:5", "suite/features/demo.feature:38"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	rows := regexp.MustCompile(`<tr data-area="DEMO" data-level="(MUST|SHOULD|MAY)" data-status="(proven|failing|partial|unproven)">`).FindAllString(page, -1)
	if len(rows) != 26 {
		t.Errorf("page has %d requirement rows, want 26", len(rows))
	}
}

func TestHTMLEscapes(t *testing.T) {
	t.Attr("req", "OC-TRACE-9004")
	rep := model.Build([]model.Requirement{{ID: "X-1", Level: model.Must, Title: `<script>alert(1)</script>`}}, nil, nil)
	page := renderTo(t, render.HTML, &rep)
	if strings.Contains(page, "<script>alert") {
		t.Error("title was not escaped")
	}
	md := renderTo(t, render.Markdown, &rep)
	if strings.Contains(md, "<script>") {
		t.Error("markdown title was not escaped")
	}
}

func TestSummaryIsBounded(t *testing.T) {
	t.Attr("req", "OC-TRACE-9004")
	var reqs []model.Requirement
	for i := range 500 {
		reqs = append(reqs, model.Requirement{ID: fmt.Sprintf("X-%d", i), Level: model.Must, Title: "t"})
	}
	rep := model.Build(reqs, nil, nil)
	s := renderTo(t, render.Summary, &rep)
	if n := strings.Count(s, "\n"); n > render.MaxAttention+15 {
		t.Errorf("summary has %d lines for 500 unproven requirements", n)
	}
	if !strings.Contains(s, "and 475 more") || !strings.HasSuffix(s, "requirements: 0 proven, 0 failing, 0 partial, 500 unproven\n") {
		t.Errorf("summary:\n%s", s)
	}
}
