package pr_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"orchcore.dev/tools/spec-trace/internal/model"
	"orchcore.dev/tools/spec-trace/internal/pr"
)

func req(id, level, status string) model.Requirement {
	return model.Requirement{ID: id, Area: "X", Level: level, Title: "title of " + id, Text: "rule of " + id,
		Hash: "h-" + id, File: ".specs/x.md", Line: 7, Status: status, Tests: []model.Test{}}
}

func report(qs ...model.Requirement) *model.Report {
	r := &model.Report{Schema: model.Schema, Version: model.Version, Requirements: qs}
	r.Recount(0)
	return r
}

func pair() (*model.Report, *model.Report) {
	base := report(
		req("X-1", model.Must, model.Proven), req("X-2", model.Must, model.Proven),
		req("X-3", model.Must, model.Proven), req("X-4", model.Should, model.Proven),
		req("X-5", model.Must, model.Unproven), req("X-6", model.Must, model.Proven),
		req("X-7", model.Must, model.Proven), req("X-9", model.May, model.Proven))
	failing := req("X-1", model.Must, model.Failing)
	partial := req("X-2", model.Must, model.Partial)
	partial.Missing = "gherkin"
	stale := req("X-3", model.Must, model.Stale)
	stale.Hash = "changed"
	flaky := req("X-4", model.Should, model.Flaky)
	expired := req("X-5", model.Must, model.Unproven)
	expired.Waiver = &model.Waiver{Owner: "ana", Expires: "2026-01-31", Expired: true, Reason: "r"}
	edited := req("X-6", model.Must, model.Proven)
	edited.Tests = []model.Test{{Name: "TestNew", Kind: model.KindGo, Status: model.Passed}}
	head := report(failing, partial, stale, flaky, expired, edited, req("X-7", model.Must, model.Proven), req("X-8", model.Must, model.Unproven))
	return base, head
}

// The report: marker, table, the worse sections in order with rule and
// place, then what changed.
func TestPRReport(t *testing.T) {
	t.Attr("req", "OC-TRACE-9011")
	base, head := pair()
	md, left := pr.Markdown(base, head, 60000)
	if left != 0 {
		t.Errorf("left out %d items of a small report", left)
	}
	if !strings.HasPrefix(md, pr.Marker+"\n") {
		t.Errorf("the first line is not the marker:\n%s", md)
	}
	for _, want := range []string{
		"| MUST | 5 / 6 | 2 / 7 | −3 | 1 | 3 | 1 | 0 | 0 |",
		"| SHOULD | 1 / 1 | 0 / 1 | −1 | 0 | 0 | 0 | 1 | 0 |",
		"### Got worse: 6",
		"#### Newly failing (1)\n\n- **X-1** MUST proven → failing — title of X-1 (`.specs/x.md:7`)\n  > rule of X-1\n",
		"#### No longer proven (2)\n\n- **X-2** MUST proven → partial — title of X-2 (`.specs/x.md:7`) — policy: missing gherkin\n",
		"- **X-8** MUST unproven — title of X-8",
		"#### Stale: the rule changed, its tests did not (1)\n\n- **X-3** MUST proven → stale",
		"#### Flaky: failed, then passed on a rerun (1)\n\n- **X-4** SHOULD proven → flaky",
		"#### Expired waivers (1)\n\n- **X-5** MUST unproven — title of X-5 (`.specs/x.md:7`) — waiver by ana expired on 2026-01-31",
		"- **X-3** MUST proven → stale — title of X-3 (`.specs/x.md:7`) — rule text changed",
		"- **X-6** MUST proven — title of X-6 (`.specs/x.md:7`) — 1 test(s) added",
		"- **X-8** MUST unproven — title of X-8 (`.specs/x.md:7`) — added",
		"- **X-9** MAY proven — title of X-9 (`.specs/x.md:7`) — removed",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("pr.md lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(md, "X-7") {
		t.Error("an unchanged requirement is listed")
	}
	// Sections in order: stale first (OC-TRACE-9007), then failing,
	// then the changes.
	if i, j, k := strings.Index(md, "Stale:"), strings.Index(md, "Newly failing"), strings.Index(md, "spec line or tests changed"); !(i < j && j < k) {
		t.Errorf("sections out of order: %d %d %d", i, j, k)
	}
	clean := report(req("X-1", model.Must, model.Proven))
	same, _ := pr.Markdown(clean, clean, 60000)
	if !strings.Contains(same, "Nothing got worse.") || strings.Contains(same, "####") {
		t.Errorf("a clean report compared with itself:\n%s", same)
	}
	// Stale, flaky and expired are states of the head: listed even when
	// the base had them too.
	again, _ := pr.Markdown(head, head, 60000)
	if !strings.Contains(again, "### Got worse: 3") {
		t.Errorf("head compared with itself:\n%s", again)
	}
}

// 10,000 requirements that all got worse and all changed: the report
// stays under the limit, keeps the worst section first and says how many
// items it left out.
func TestPRReportFitsOneComment(t *testing.T) {
	t.Attr("req", "OC-TRACE-9011")
	var b, h []model.Requirement
	for i := range 10000 {
		id := fmt.Sprintf("GEN-%05d", i)
		q := req(id, model.Must, model.Proven)
		q.Text = strings.Repeat("a long rule text ", 30)
		b = append(b, q)
		q.Status, q.Hash = model.Failing, "new"
		if i%2 == 1 {
			q.Status = model.Partial
		}
		h = append(h, q)
	}
	base, head := report(b...), report(h...)
	md, left := pr.Markdown(base, head, 60000)
	if len(md) > 60000 {
		t.Fatalf("pr.md is %d bytes", len(md))
	}
	shown := len(regexp.MustCompile(`(?m)^- \*\*GEN-`).FindAllString(md, -1))
	// 5,000 failing, 5,000 no longer proven, 10,000 changed.
	if shown+left != 20000 || shown < 50 {
		t.Errorf("shown %d + left out %d, want 20000 with a useful number shown", shown, left)
	}
	if !strings.Contains(md, fmt.Sprintf("_%d more items left out to fit one comment: see coverage.html", left)) {
		t.Errorf("no left-out line for %d items:\n%s", left, md[len(md)-500:])
	}
	if !strings.Contains(md, "#### Newly failing (5000)") || strings.Contains(md, "#### No longer proven") {
		t.Error("the worst section should be kept (trimmed) and the later ones left out")
	}
	// With room for the first two sections, only the changes are left out.
	small, head2 := pair()
	md, left = pr.Markdown(small, head2, 1500)
	if len(md) > 1500 || left == 0 || !strings.Contains(md, "left out to fit one comment") {
		t.Errorf("limit 1500: %d bytes, %d left out:\n%s", len(md), left, md)
	}
	if !strings.Contains(md, "#### Newly failing (1)") {
		t.Errorf("limit 1500 dropped the worst section:\n%s", md)
	}
}

func TestAnnotations(t *testing.T) {
	t.Attr("req", "OC-TRACE-9011")
	base, head := pair()
	got := pr.Annotations(base, head)
	if len(got) != 6 {
		t.Fatalf("%d annotations, want 6: %q", len(got), got)
	}
	want := "::error file=.specs/x.md,line=7,title=X-3 stale::MUST X-3 is stale (Stale: the rule changed, its tests did not) — title of X-3"
	if got[0] != want {
		t.Errorf("first annotation\n got %s\nwant %s", got[0], want)
	}
	var b, h []model.Requirement
	for i := range 40 {
		q := req(fmt.Sprintf("X-%d", i), model.Must, model.Proven)
		b = append(b, q)
		q.Status = model.Failing
		q.Title = "a, b: 100% \n done"
		h = append(h, q)
	}
	got = pr.Annotations(report(b...), report(h...))
	if len(got) != pr.MaxAnnotations {
		t.Errorf("%d annotations for 40 failing, want %d", len(got), pr.MaxAnnotations)
	}
	if !strings.HasSuffix(got[0], "a, b: 100%25 %0A done") {
		t.Errorf("message not escaped: %s", got[0])
	}
}
