package history_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"orchcore.dev/tools/spec-trace/internal/history"
	"orchcore.dev/tools/spec-trace/internal/model"
)

func report(status map[string]string) *model.Report {
	var qs []model.Requirement
	for _, id := range []string{"A-1", "A-2"} {
		qs = append(qs, model.Requirement{ID: id, Level: model.Must, Status: status[id]})
	}
	r := &model.Report{Requirements: qs}
	r.Recount(0)
	return r
}

func TestHistoryRoundTrip(t *testing.T) {
	t.Attr("req", "OC-TRACE-9013")
	dir := t.TempDir()
	at := time.Date(2026, 12, 1, 19, 0, 0, 0, time.UTC)
	runs := []map[string]string{
		{"A-1": model.Proven, "A-2": model.Failing},
		{"A-1": model.Proven, "A-2": model.Proven},
		{"A-1": model.Failing, "A-2": model.Proven},
	}
	for i, st := range runs {
		if _, err := history.Write(dir, history.FromReport(report(st), at.Add(time.Duration(i)*time.Hour), "abc")); err != nil {
			t.Fatal(err)
		}
	}
	// Same second again: a second file, not a replaced one.
	p, err := history.Write(dir, history.FromReport(report(runs[2]), at.Add(2*time.Hour), "def"))
	if err != nil || filepath.Base(p) != "run-20261201T210000Z-2.json" {
		t.Fatalf("second file in one second: %s %v", p, err)
	}
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644)
	os.WriteFile(filepath.Join(dir, "run-20261201T220000Z.json"), []byte("{not json"), 0o644)
	os.WriteFile(filepath.Join(dir, "run-20261201T230000Z.json"), []byte(`{"schema":"other/v1"}`), 0o644)
	got, notes, err := history.Read(dir, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 || got[0].Time != "2026-12-01T19:00:00Z" || got[3].Commit != "def" {
		t.Fatalf("read %d runs: %+v", len(got), got)
	}
	all := strings.Join(notes, "\n")
	for _, want := range []string{"notes.txt: ignored, not a spec-trace history file", "run-20261201T220000Z.json: ignored, not JSON",
		`run-20261201T230000Z.json: ignored, schema "other/v1", want "spec-trace-history/v1"`} {
		if !strings.Contains(all, want) {
			t.Errorf("notes lack %q:\n%s", want, all)
		}
	}
	h := history.Summarize(got)
	if h.ProvenIn["A-1"] != 2 || h.Last["A-1"] != 1 || h.ProvenIn["A-2"] != 3 || h.Last["A-2"] != 3 {
		t.Errorf("summary: proven-in %v, last %v", h.ProvenIn, h.Last)
	}
	if h.Runs[0].Proven != 1 || h.Runs[0].Failing != 1 || h.Runs[1].Proven != 2 {
		t.Errorf("trend counts %+v", h.Runs)
	}
	last2, _, _ := history.Read(dir, 2)
	if len(last2) != 2 || last2[1].Commit != "def" {
		t.Errorf("keep=2 read %+v", last2)
	}
	if none, notes, err := history.Read(filepath.Join(dir, "missing"), 5); err != nil || none != nil || notes != nil {
		t.Errorf("a missing dir: %v %v %v", none, notes, err)
	}
}
