package transcript_test

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"orchcore.dev/test-harness/determinism-suite/transcript"
)

func sample() (transcript.Manifest, []transcript.Trial) {
	m := transcript.Manifest{
		Tool:    transcript.Tool{Name: "detsuite", Version: "test", Go: "go1.26"},
		Created: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		Params:  transcript.Params{NPredict: 4, Temperature: 0.8, TopK: 40, TopP: 0.95, MinP: 0.05},
		Engines: []transcript.Engine{{
			URL: "http://127.0.0.1:1", API: "llamacpp", StartedBySuite: true,
			Applied: map[string]any{"parallel": float64(1), "cont_batching": false},
			Props:   []byte(`{"build_info":"b1","default_generation_settings":{"n_ctx":512}}`),
		}},
		Corpus: transcript.Corpus{SeedsSHA256: "aa", PromptsSHA256: "bb", Seeds: 2, Prompts: 1},
	}
	trials := []transcript.Trial{
		{PromptID: "p", Prompt: "Café <&> \"q\"", Seed: 1, Streams: []transcript.Stream{
			{Tokens: []int{5, 6}, Pieces: []string{" 東", "京\n"}, Content: " 東京\n", StopType: "limit"},
		}},
		{PromptID: "p", Prompt: "Café <&> \"q\"", Seed: 2, Streams: []transcript.Stream{
			{Pieces: []string{"\u2028", "\t"}, Content: "\u2028\t", StopType: "eos"},
		}},
	}
	return m, trials
}

func TestRoundTripIsExact(t *testing.T) {
	t.Attr("req", "OC-TEST-7004")
	dir := filepath.Join(t.TempDir(), "rec")
	m, trials := sample()
	if err := transcript.Write(dir, m, trials); err != nil {
		t.Fatal(err)
	}
	gm, gt, err := transcript.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(trials, gt); diff != "" {
		t.Fatalf("trials differ after round trip (-want +got):\n%s", diff)
	}
	if gm.Format != "detsuite-transcript/1" || gm.Trials != 2 || len(gm.TrialsSHA256) != 64 {
		t.Fatalf("manifest = %+v", gm)
	}
	var props bytes.Buffer
	if err := json.Compact(&props, gm.Engines[0].Props); err != nil || props.String() != string(m.Engines[0].Props) {
		t.Fatalf("props = %s (%v)", gm.Engines[0].Props, err)
	}
	if gm.Engines[0].Applied["parallel"] != float64(1) || gm.Engines[0].Applied["cont_batching"] != false {
		t.Fatalf("applied = %v", gm.Engines[0].Applied)
	}
	assertOnly(t, filepath.Dir(dir), "rec")
}

func TestWriteRefusesNonEmptyDir(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "x"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	m, trials := sample()
	err := transcript.Write(dir, m, trials)
	if err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("err = %v, want 'not empty'", err)
	}
}

func TestWriteReplacesEmptyDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "rec")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	m, trials := sample()
	if err := transcript.Write(dir, m, trials); err != nil {
		t.Fatal(err)
	}
	if _, _, err := transcript.Read(dir); err != nil {
		t.Fatal(err)
	}
}

func TestFailedWriteLeavesNothing(t *testing.T) {
	t.Attr("req", "OC-TEST-7004")
	parent := t.TempDir()
	m, trials := sample()
	m.Params.Temperature = math.NaN() // encoding/json cannot write NaN
	if err := transcript.Write(filepath.Join(parent, "rec"), m, trials); err == nil {
		t.Fatal("want an error for an unencodable manifest")
	}
	assertOnly(t, parent)
}

func TestReadCatchesDamage(t *testing.T) {
	t.Attr("req", "OC-TEST-7004")
	cases := map[string]func(dir string) error{
		"edited trial": func(dir string) error {
			return rewrite(dir, transcript.TrialsFile, func(s string) string { return strings.Replace(s, "[5,6]", "[5,7]", 1) })
		},
		"truncated": func(dir string) error {
			return rewrite(dir, transcript.TrialsFile, func(s string) string { return s[:strings.Index(s, "\n")+1] })
		},
		"other format": func(dir string) error {
			return rewrite(dir, transcript.ManifestFile, func(s string) string { return strings.Replace(s, "transcript/1", "transcript/9", 1) })
		},
		"no trials file": func(dir string) error { return os.Remove(filepath.Join(dir, transcript.TrialsFile)) },
	}
	for name, damage := range cases {
		t.Run(name, func(t *testing.T) {
			t.Attr("req", "OC-TEST-7004")
			dir := filepath.Join(t.TempDir(), "rec")
			m, trials := sample()
			if err := transcript.Write(dir, m, trials); err != nil {
				t.Fatal(err)
			}
			if err := damage(dir); err != nil {
				t.Fatal(err)
			}
			if _, _, err := transcript.Read(dir); err == nil {
				t.Fatal("damaged transcript read without error")
			}
		})
	}
}

func rewrite(dir, name string, edit func(string) string) error {
	path := filepath.Join(dir, name)
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return os.WriteFile(path, []byte(edit(string(b))), 0o644)
}

// assertOnly fails unless dir holds exactly the named entries (no leftover
// temporary directories).
func assertOnly(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if diff := cmp.Diff(names, got); diff != "" && !(len(names) == 0 && len(got) == 0) {
		t.Fatalf("%s holds %v, want %v", dir, got, names)
	}
}
