package cucumber_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"orchcore.dev/tools/spec-trace/internal/cucumber"
	"orchcore.dev/tools/spec-trace/internal/golden"
	"orchcore.dev/tools/spec-trace/internal/model"
)

const captured = "../../testdata/results/cucumber.json"

// Expectations written by hand from testdata/fixture/suite/features/demo.feature.
func TestCapturedGodogOutput(t *testing.T) {
	t.Attr("req", "OC-TRACE-9002")
	got, err := cucumber.ParseFile(captured, "cucumber.json")
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		line   int
		status string
		reqs   string
	}{
		{6, model.Passed, "DEMO-0100 DEMO-0101"},
		{12, model.Failed, "DEMO-0100 DEMO-0102"},
		{18, model.Skipped, "DEMO-0100 DEMO-0103"},
		{32, model.Passed, "DEMO-0100 DEMO-0104 DEMO-0105"},
		{33, model.Passed, "DEMO-0100 DEMO-0104 DEMO-0105"},
		{38, model.Failed, "DEMO-0100 DEMO-0104 DEMO-0106"},
		{40, model.Skipped, "DEMO-0100"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d scenarios, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.Line != w.line || g.Status != w.status || strings.Join(g.Reqs, " ") != w.reqs ||
			g.File != "features/demo.feature" || g.Kind != model.KindGherkin {
			t.Errorf("scenario %d = %s:%d %s %v; want line %d %s %s", i, g.File, g.Line, g.Status, g.Reqs, w.line, w.status, w.reqs)
		}
	}
	if !strings.Contains(got[1].Note, "got 4, want 5") {
		t.Errorf("failed scenario note %q lacks the step error", got[1].Note)
	}
	if !strings.Contains(got[2].Note, "undefined") || !strings.Contains(got[6].Note, "pending") {
		t.Errorf("notes %q / %q do not say why the scenario did not pass", got[2].Note, got[6].Note)
	}
}

func TestGolden(t *testing.T) {
	t.Attr("req", "OC-TRACE-9002")
	got, err := cucumber.ParseFile(captured, "cucumber.json")
	if err != nil {
		t.Fatal(err)
	}
	type view struct {
		model.Test
		Reqs []string `json:"reqs"`
	}
	var out []view
	for _, tt := range got {
		out = append(out, view{tt, tt.Reqs})
	}
	b, _ := json.MarshalIndent(out, "", "  ")
	golden.Check(t, "testdata/cucumber.golden", append(b, '\n'))
}

func TestBackgroundAndHooks(t *testing.T) {
	t.Attr("req", "OC-TRACE-9002")
	src := `[{"uri":"a.feature","name":"F","tags":[{"name":"@A-1"}],"elements":[
 {"type":"background","keyword":"Background","steps":[{"name":"bg","result":{"status":"passed"}}]},
 {"type":"scenario","name":"s1","line":5,"tags":[{"name":"@A-2..3"},{"name":"@smoke"}],"steps":[{"name":"x","result":{"status":"passed"}}]},
 {"type":"scenario","name":"s2","line":9,"before":[{"result":{"status":"failed","error_message":"db down"}}],"steps":[{"name":"x","result":{"status":"skipped"}}]},
 {"type":"scenario","name":"s3","line":12,"steps":[]}
]}]`
	got, err := cucumber.Parse(strings.NewReader(src), "r.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("got %d scenarios, want 3 (background folded)", len(got))
	}
	if got[0].Status != model.Passed || strings.Join(got[0].Reqs, " ") != "A-1 A-2 A-3" {
		t.Errorf("s1 = %+v", got[0])
	}
	if got[1].Status != model.Failed || !strings.Contains(got[1].Note, "db down") {
		t.Errorf("s2 = %+v, want failed by its hook", got[1])
	}
	if got[2].Status != model.Skipped {
		t.Errorf("s3 = %+v, want skipped (no steps)", got[2])
	}
}

func TestMalformedNamesLine(t *testing.T) {
	t.Attr("req", "OC-TRACE-9003")
	cases := map[string]struct {
		src  string
		line int
	}{
		"syntax":    {"[\n {\"uri\": \"a\",\n  \"elements\": [ }\n]\n", 3},
		"truncated": {"[\n {\"uri\": \"a\",\n", 2},
		"type":      {"[\n {\"uri\": \"a\",\n  \"elements\": 5}]\n", 3},
		"not array": {"\n{}", 1},
		"trailing":  {"[]\n[]", 2},
	}
	dir := t.TempDir()
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Attr("req", "OC-TRACE-9003")
			path := filepath.Join(dir, name+".json")
			if err := os.WriteFile(path, []byte(c.src), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := cucumber.ParseFile(path, "r.json")
			var e *cucumber.Error
			if !errors.As(err, &e) || e.File != "r.json" || e.Line != c.line {
				t.Fatalf("err = %v, want r.json:%d", err, c.line)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	b, err := os.ReadFile(captured)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(b))
	f.Add(`[{"elements":[{"type":"background"},{"tags":[{"name":"@A-1..2"}]}]}]`)
	f.Fuzz(func(t *testing.T, s string) {
		got, err := cucumber.Parse(strings.NewReader(s), "f")
		if err != nil {
			var e *cucumber.Error
			if !errors.As(err, &e) || e.Offset < 0 || e.Offset > int64(len(s)) {
				t.Fatalf("error without a valid offset: %v", err)
			}
			return
		}
		for _, tt := range got {
			if tt.Status != model.Passed && tt.Status != model.Failed && tt.Status != model.Skipped {
				t.Fatalf("status %q", tt.Status)
			}
		}
	})
}
