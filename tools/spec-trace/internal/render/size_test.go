package render_test

import (
	"fmt"
	"strings"
	"testing"

	"orchcore.dev/tools/spec-trace/internal/benchgen"
	"orchcore.dev/tools/spec-trace/internal/cli"
	"orchcore.dev/tools/spec-trace/internal/model"
	"orchcore.dev/tools/spec-trace/internal/render"
)

// Markdown and HTML show each requirement's rule text; the page keeps it
// in a collapsed block.
func TestReportsShowRuleText(t *testing.T) {
	t.Attr("req", "OC-TRACE-9006")
	rep := fixtureReport(t)
	md := renderTo(t, render.Markdown, rep)
	page := renderTo(t, render.HTML, rep)
	js := renderTo(t, render.JSON, rep)
	const text = "A requirement with two passing tests in two packages."
	if !strings.Contains(md, "**Passing tests prove**<br>"+text) {
		t.Error("coverage.md lacks the rule text of DEMO-0001")
	}
	if !strings.Contains(page, `<details class="rule"><summary>rule</summary><p>`+text+`</p>`) {
		t.Error("coverage.html lacks the collapsed rule text of DEMO-0001")
	}
	if !strings.Contains(js, `"text": "`+text+`"`) || !strings.Contains(js, `"hash": "`) {
		t.Error("coverage.json lacks text or hash")
	}
}

// The page groups tests by kind and parent test: TestSubFail and its two
// subtests form one group.
func TestHTMLGroupsTests(t *testing.T) {
	t.Attr("req", "OC-TRACE-9006")
	tests := []model.Test{
		{Name: "TestA", Kind: model.KindGo, Status: model.Passed, Reqs: []string{"X-1"}},
		{Name: "TestA/one", Kind: model.KindGo, Status: model.Failed, Reqs: []string{"X-1"}},
		{Name: "TestB", Kind: model.KindGo, Status: model.Passed, Reqs: []string{"X-1"}},
		{Name: "F: s", Kind: model.KindGherkin, File: "a.feature", Line: 3, Status: model.Passed, Reqs: []string{"X-1"}},
	}
	rep := model.Build([]model.Requirement{{ID: "X-1", Level: model.Must, Title: "t", Text: "r"}}, tests, nil)
	page := renderTo(t, render.HTML, &rep)
	for _, want := range []string{
		`<summary>go <code>TestA</code> <span class="note">1 passed, 1 failed</span></summary>`,
		`<summary>go <code>TestB</code> <span class="note">1 passed</span></summary>`,
		`<summary>gherkin <code>a.feature</code> <span class="note">1 passed</span></summary>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %s", want)
		}
	}
}

// A report the size of this repository's (60 requirements, long rules,
// 30 tests each with notes) and the 10,000-requirement benchmark input
// both give a coverage.md under the limit, saying what was left out.
func TestMarkdownFitsAComment(t *testing.T) {
	t.Attr("req", "OC-TRACE-9011")
	var reqs []model.Requirement
	var tests []model.Test
	for i := range 60 {
		id := fmt.Sprintf("OC-X-%04d", i)
		reqs = append(reqs, model.Requirement{ID: id, Level: model.Must, Title: "A title of some length",
			Text: strings.Repeat("The rule says something precise. ", 12), File: ".specs/x.md", Line: i + 1})
		for k := range 30 {
			tests = append(tests, model.Test{Name: fmt.Sprintf("TestSomethingRatherLong%d/sub_case_%d", i, k), Kind: model.KindGo,
				Package: "orchcore.dev/x", File: "x/x_test.go", Line: k, Status: model.Passed, Reqs: []string{id}})
		}
	}
	rep := model.Build(reqs, tests, nil)
	md := renderTo(t, render.Markdown, &rep)
	if len(md) > render.MaxMarkdown {
		t.Errorf("coverage.md is %d bytes, over %d", len(md), render.MaxMarkdown)
	}
	if strings.Count(md, "| OC-X-") != 60 || !strings.Contains(md, "go ✅30") {
		t.Error("the repository-sized report does not list every requirement with its test counts")
	}
	if !strings.Contains(md, "The rule says something precise.") {
		t.Error("the repository-sized report lost the rule text")
	}

	root := t.TempDir()
	stream, _, err := benchgen.Write(root, benchgen.Config{Reqs: 10000, Tests: 20000, Packages: 10, Bytes: 1, FailEvery: 997})
	if err != nil {
		t.Fatal(err)
	}
	big, err := cli.Collect(root, []string{stream})
	if err != nil {
		t.Fatal(err)
	}
	md = renderTo(t, render.Markdown, big)
	if len(md) > render.MaxMarkdown {
		t.Errorf("benchmark coverage.md is %d bytes, over %d", len(md), render.MaxMarkdown)
	}
	if !strings.Contains(md, "more requirements left out to stay under 60000 characters: see coverage.html or coverage.json") {
		t.Error("benchmark coverage.md does not say what was left out")
	}
}

// Even with absurdly long titles in the summary the limit holds.
func TestMarkdownLimitIsHard(t *testing.T) {
	t.Attr("req", "OC-TRACE-9011")
	var reqs []model.Requirement
	for i := range 100 {
		reqs = append(reqs, model.Requirement{ID: fmt.Sprintf("X-%d", i), Level: model.Must, Title: strings.Repeat("<|", 5000)})
	}
	rep := model.Build(reqs, nil, nil)
	md := renderTo(t, render.Markdown, &rep)
	if len(md) > render.MaxMarkdown {
		t.Errorf("coverage.md is %d bytes", len(md))
	}
	if !strings.Contains(md, "see coverage.html or coverage.json") {
		t.Error("no line says where the rest is")
	}
}
