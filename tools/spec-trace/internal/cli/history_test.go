package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Three runs into one history: the page shows per requirement how many
// of the runs proved it and when last, and a trend.
func TestHistoryInHTML(t *testing.T) {
	t.Attr("req", "OC-TRACE-9013")
	dir := t.TempDir()
	hist := filepath.Join(dir, "hist")
	writeFile(t, hist, "README", "kept by hand")
	out := filepath.Join(dir, "out")
	ok := []string{"--root", fixture, "--results", results + "gotest-all.json", "--results", results + "cucumber.json"}
	only := []string{"--root", fixture, "--results", results + "cucumber.json"}
	for i, args := range [][]string{ok, only, ok} {
		args = append(args, "--history", hist, "--time", "2026-12-0"+string(rune('1'+i))+"T10:00:00Z", "--commit", "c0ffee"+string(rune('a'+i)), "--out", out, "--format", "html")
		code, _, stderr := run(t, args...)
		if code != 0 {
			t.Fatalf("run %d: exit %d %s", i, code, stderr)
		}
		if !strings.Contains(stderr, "note: history: "+filepath.Join(hist, "README")+": ignored, not a spec-trace history file") {
			t.Errorf("run %d: no note for the foreign file:\n%s", i, stderr)
		}
	}
	files, _ := filepath.Glob(filepath.Join(hist, "run-*.json"))
	if len(files) != 3 {
		t.Fatalf("%d run files, want 3", len(files))
	}
	page, err := os.ReadFile(filepath.Join(out, "coverage.html"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(page)
	// DEMO-0001 is proven by Go tests: runs 1 and 3. DEMO-0101 by a
	// scenario: every run.
	for _, want := range []string{
		"proven in 2 of the last 3 runs; last 2026-12-03T10:00:00Z (c0ffeec)",
		"proven in 3 of the last 3 runs",
		"proven in 0 of the last 3 runs",
		"Trend of the last 3 runs",
		`<svg class="trend"`,
		"2026-12-01T10:00:00Z: 10 proven, 9 failing of 26 → 2026-12-03T10:00:00Z: 10 proven, 9 failing of 26",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if n := strings.Count(s, "<polyline"); n != 2 {
		t.Errorf("%d trend lines, want 2 (proven, failing)", n)
	}
	code, _, stderr := run(t, append(ok, "--history", hist, "--time", "yesterday")...)
	if code != 2 || !strings.Contains(stderr, `--time "yesterday": want RFC 3339`) {
		t.Errorf("bad --time: exit %d %s", code, stderr)
	}
}
