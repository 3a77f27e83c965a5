package cli_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"orchcore.dev/test-harness/refengine/server"

	"orchcore.dev/test-harness/determinism-suite/corpus"
	"orchcore.dev/test-harness/determinism-suite/transcript"
)

// The whole default corpus on replicas the suite starts itself: every seed,
// every prompt, byte-exact, with the applied settings and /props recorded.
func TestRunDefaultCorpusByteExact(t *testing.T) {
	t.Attr("req", "OC-TEST-7001")
	t.Attr("req", "OC-TEST-7002")
	t.Attr("req", "OC-CORE-1030")
	dir := filepath.Join(t.TempDir(), "rec")
	r, o := jsonReport(t, "run", "--record", dir)
	if o.code != 0 || r.Result != "byte-exact" {
		t.Fatalf("exit %d, result %s, error %q", o.code, r.Result, r.Error)
	}
	s, p := corpus.DefaultSeeds(), corpus.DefaultPrompts()
	want := len(s.Values) * len(p.Items)
	if r.Trials != want || r.Replicas != 2 || r.Streams != 2*want || r.UniqueOutputs != want || r.DivergentTrials != 0 {
		t.Fatalf("trials %d replicas %d streams %d unique %d divergent %d; want %d trials",
			r.Trials, r.Replicas, r.Streams, r.UniqueOutputs, r.DivergentTrials, want)
	}
	if r.Corpus.SeedsSHA256 != s.SHA256 || r.Corpus.Seeds != len(s.Values) {
		t.Fatalf("corpus %+v", r.Corpus)
	}

	// Check the recording independently of the suite's comparison: every
	// corpus seed with every prompt, two streams, equal, of n_predict tokens.
	m, trials, err := transcript.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[uint64]int{}
	for _, tr := range trials {
		seen[tr.Seed]++
		if len(tr.Streams) != 2 || len(tr.Streams[0].Tokens) != 32 || len(tr.Streams[0].Pieces) != 32 {
			t.Fatalf("trial %s/%d: %d streams, %d tokens", tr.PromptID, tr.Seed, len(tr.Streams), len(tr.Streams[0].Tokens))
		}
		if diff := cmp.Diff(tr.Streams[0], tr.Streams[1]); diff != "" {
			t.Fatalf("trial %s/%d differs between replicas:\n%s", tr.PromptID, tr.Seed, diff)
		}
		if strings.Join(tr.Streams[0].Pieces, "") != tr.Streams[0].Content {
			t.Fatalf("trial %s/%d: pieces do not add up to content", tr.PromptID, tr.Seed)
		}
	}
	for _, v := range s.Values {
		if seen[v] != len(p.Items) {
			t.Fatalf("seed %d ran %d times, want %d", v, seen[v], len(p.Items))
		}
	}

	if m.Tool.Name != "detsuite" || m.Tool.Version == "" || !strings.HasPrefix(m.Tool.Go, "go") {
		t.Errorf("manifest tool %+v: want the name, a version and the Go release", m.Tool)
	}
	// OC-TEST-7002: the applied settings and what /props says, per replica.
	if len(m.Engines) != 2 {
		t.Fatalf("%d engines recorded", len(m.Engines))
	}
	for i, e := range m.Engines {
		if !e.StartedBySuite || e.Applied["parallel"] != float64(1) || e.Applied["cont_batching"] != false {
			t.Errorf("engine %d applied %v (started %v)", i, e.Applied, e.StartedBySuite)
		}
		if e.Version != server.EngineVersion || len(e.Props) == 0 {
			t.Errorf("engine %d version %q props %d bytes", i, e.Version, len(e.Props))
		}
		for _, key := range []string{`"total_slots":1`, `"engine_version":"` + server.EngineVersion + `"`, `"model_digest":"` + server.ModelDigest() + `"`} {
			if !strings.Contains(compact(t, e.Props), key) {
				t.Errorf("engine %d /props lacks %s", i, key)
			}
		}
	}
}

func TestRunOpenAIAPI(t *testing.T) {
	t.Attr("req", "OC-TEST-7001")
	dir := filepath.Join(t.TempDir(), "rec")
	r, o := jsonReport(t, "run", "--api", "openai", "--seeds", seeds(t, 8), "--prompts", twoPrompts(t), "--n-predict", "12", "--record", dir)
	if o.code != 0 || r.Trials != 16 || r.DivergentTrials != 0 {
		t.Fatalf("exit %d trials %d divergent %d error %q", o.code, r.Trials, r.DivergentTrials, r.Error)
	}
	_, trials, err := transcript.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, tr := range trials {
		s := tr.Streams[0]
		if s.Tokens != nil || len(s.Pieces) != 12 || s.StopType != "length" {
			t.Fatalf("openai stream: tokens %v, %d pieces, stop %q", s.Tokens, len(s.Pieces), s.StopType)
		}
	}
}

// Several slots with continuous batching under concurrent load make the
// reference engine's output depend on what else is in the batch; the suite
// must catch it (OC-TEST-7005). The same engines with a batch-invariant
// reduction pass, which shows it is batching that was caught.
func TestNegativeControlContBatchingCaught(t *testing.T) {
	t.Attr("req", "OC-TEST-7005")
	run := func(invariant bool) (int, int) {
		o := server.Options{Parallel: 4, ContBatching: true, BatchInvariant: invariant}
		a, b := engine(t, o), engine(t, o)
		r, out := jsonReport(t, "run", "--engine", a, "--engine", b, "--concurrency", "8", "--seeds", seeds(t, 64), "--prompts", twoPrompts(t))
		if r.Error != "" {
			t.Fatalf("run failed: %s", r.Error)
		}
		for _, w := range []string{"total_slots=4", "cont_batching=true"} {
			if !slices.ContainsFunc(r.Warnings, func(s string) bool { return strings.Contains(s, w) }) {
				t.Errorf("no warning about %s in %q", w, r.Warnings)
			}
		}
		return out.code, r.DivergentTrials
	}
	code, n := run(false)
	t.Logf("cont-batching engines: %d of 128 trials divergent", n)
	if code != 1 || n == 0 {
		t.Fatalf("cont-batching engines: exit %d with %d divergent trials; want exit 1", code, n)
	}
	if code, n := run(true); code != 0 || n != 0 {
		t.Fatalf("batch-invariant engines: exit %d with %d divergent trials; want exit 0", code, n)
	}
}

// Two replicas that differ only in engine_version are not one replica set:
// the suite must see different streams (OC-TEST-7005).
func TestNegativeControlEngineVersion(t *testing.T) {
	t.Attr("req", "OC-TEST-7005")
	a := engine(t, server.Options{})
	b := engine(t, server.Options{EngineVersion: server.EngineVersion + "+other"})
	r, o := jsonReport(t, "run", "--engine", a, "--engine", b, "--seeds", seeds(t, 16), "--prompts", twoPrompts(t))
	if o.code != 1 || r.Result != "divergent" {
		t.Fatalf("exit %d result %s error %q", o.code, r.Result, r.Error)
	}
	if r.DivergentTrials != r.Trials {
		t.Fatalf("%d of %d trials diverged; another engine_version must change every stream", r.DivergentTrials, r.Trials)
	}
	if !slices.ContainsFunc(r.Warnings, func(s string) bool { return strings.Contains(s, "different engine_version") }) {
		t.Fatalf("no engine_version warning in %q", r.Warnings)
	}
	d := r.Divergences[0]
	if d.Replica != 1 || d.URL != b || d.BaselineURL != a || d.PromptID != "a" || d.Seed != 1 {
		t.Fatalf("first divergence %+v", d)
	}
	if len(d.Want.Pieces) == 0 || len(d.Got.Pieces) == 0 || d.Want.String() == d.Got.String() {
		t.Fatalf("continuations want %s got %s", d.Want, d.Got)
	}
}

func TestRecordRefusesNonEmptyDir(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "keep"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	o := detsuite(t, "run", "--record", dir, "--seeds", seeds(t, 2))
	if o.code != 2 || !strings.Contains(o.stderr, "not empty") {
		t.Fatalf("exit %d stderr %q", o.code, o.stderr)
	}
}
