package report_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"orchcore.dev/test-harness/chaos/check"
	"orchcore.dev/test-harness/chaos/history"
	"orchcore.dev/test-harness/chaos/report"
)

func TestReportFiguresAndSelfContainedHTML(t *testing.T) {
	t.Attr("req", "OC-CHAOS-8011")
	t.Attr("req", "OC-CHAOS-8006")
	h, err := history.ReadFile(filepath.Join("..", "check", "testdata", "good.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	r := report.Build(h, check.All(h))
	dir := t.TempDir()
	if err := report.WriteAll(dir, r); err != nil {
		t.Fatal(err)
	}
	var back report.Report
	b, _ := os.ReadFile(filepath.Join(dir, "report.json"))
	if err := json.Unmarshal(b, &back); err != nil || back.Version != report.Version || back.Result != "pass" || back.Seed != 7 {
		t.Fatalf("report.json: %v %+v", err, back)
	}
	// good.jsonl: batch completes t2 (admitted at 8 ms, done at 11) and t4
	// (admitted at 18 ms, done at 24): end-to-end 3 and 6 ms.
	if q := back.Classes["batch"].EndToEnd; q.N != 2 || q.P50 != 3 || q.Max != 6 {
		t.Fatalf("batch end-to-end %+v, want n 2, p50 3, max 6", q)
	}
	if len(back.Faults) != 1 || !back.Faults[0].Verified || back.Faults[0].Kind != "kill" {
		t.Fatalf("faults %+v", back.Faults)
	}
	page, _ := os.ReadFile(filepath.Join(dir, "report.html"))
	s := string(page)
	for _, want := range []string{"<svg", `class="fault"`, "Throughput per class", "latency p50", "Queue wait p90", "Time to first token p90", "Queue depth", "<h2>Verdicts</h2>", "queue wait", "TTFT"} {
		if !strings.Contains(s, want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	if regexp.MustCompile(`(src|href)=|<script|@import|url\(`).MatchString(s) {
		t.Error("report.html loads something from outside the page")
	}
	md, _ := os.ReadFile(filepath.Join(dir, "report.md"))
	if !strings.Contains(string(md), "## Chaos run: PASS") || len(md) > 60000 {
		t.Errorf("report.md: %d bytes:\n%s", len(md), md)
	}
}

func TestIncompleteMarked(t *testing.T) {
	t.Attr("req", "OC-CHAOS-8006")
	h, err := history.ReadFile(filepath.Join("..", "check", "testdata", "truncated.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	r := report.Build(h, check.All(h))
	if r.Result != "incomplete" || r.Incomplete == "" {
		t.Fatalf("result %q incomplete %q", r.Result, r.Incomplete)
	}
	if !strings.Contains(string(report.Markdown(r)), "INCOMPLETE") || !strings.Contains(string(report.HTML(r)), "Incomplete:") {
		t.Fatal("incomplete run not marked in md and html")
	}
}
