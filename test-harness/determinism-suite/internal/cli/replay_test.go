package cli_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"orchcore.dev/test-harness/refengine/server"

	"orchcore.dev/test-harness/determinism-suite/transcript"
)

func record(t *testing.T, args ...string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "rec")
	o := detsuite(t, append([]string{"run", "--record", dir, "--seeds", seeds(t, 8), "--prompts", twoPrompts(t)}, args...)...)
	if o.code != 0 {
		t.Fatalf("record: exit %d\n%s\n%s", o.code, o.stdout, o.stderr)
	}
	return dir
}

func TestReplayCurrentBuild(t *testing.T) {
	t.Attr("req", "OC-CORE-1030")
	t.Attr("req", "OC-TEST-7004")
	dir := record(t)
	r, o := jsonReport(t, "replay", "--transcripts", dir)
	if o.code != 0 || r.Result != "byte-exact" || r.Trials != 16 || r.Replicas != 2 || r.UniqueOutputs != 16 {
		t.Fatalf("exit %d result %s trials %d replicas %d unique %d error %q", o.code, r.Result, r.Trials, r.Replicas, r.UniqueOutputs, r.Error)
	}
	if r.Transcript != dir {
		t.Fatalf("report names transcript %q", r.Transcript)
	}
}

func TestReplayAgainstGivenEngines(t *testing.T) {
	t.Attr("req", "OC-TEST-7004")
	dir := record(t)
	same := engine(t, server.Options{})
	if r, o := jsonReport(t, "replay", "--transcripts", dir, "--engine", same); o.code != 0 || r.Replicas != 1 {
		t.Fatalf("same build: exit %d replicas %d error %q", o.code, r.Replicas, r.Error)
	}
	other := engine(t, server.Options{EngineVersion: "refengine-9.9.9"})
	r, o := jsonReport(t, "replay", "--transcripts", dir, "--engine", same, "--engine", other)
	if o.code != 1 || r.DivergentTrials != 16 || len(r.Divergences) != 16 {
		t.Fatalf("other build: exit %d, %d divergent trials, %d divergences", o.code, r.DivergentTrials, len(r.Divergences))
	}
	for _, d := range r.Divergences {
		if d.Baseline != "transcript" || d.Replica != 1 || d.URL != other {
			t.Fatalf("divergence %+v", d)
		}
	}
}

// A recording edited at a known token: replay must report exactly that
// seed, prompt and index, with the recorded and the live continuation.
func TestReplayReportsFirstDifferingToken(t *testing.T) {
	t.Attr("req", "OC-TEST-7004")
	dir := record(t)
	m, trials, err := transcript.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	const at = 5
	tr := &trials[3]
	s := &tr.Streams[0]
	live := s.Pieces[at]
	s.Tokens[at], s.Pieces[at] = 90, "~"
	s.Content = strings.Join(s.Pieces, "")
	rewriteTrials(t, dir, m, trials)

	o := detsuite(t, "replay", "--transcripts", dir)
	if o.code != 1 {
		t.Fatalf("exit %d, want 1\n%s%s", o.code, o.stdout, o.stderr)
	}
	for _, want := range []string{
		"DIVERGENCE seed 4, prompt \"a\" \"Once upon a time\"\n",
		"replica 0 (http://127.0.0.1:",
		") differs from transcript at token 5 (token)\n",
		"transcript: \"~\"#90",
		"replica 0: " + strconv.Quote(live) + "#",
		"replica 1 (http://127.0.0.1:",
		"result: 16 trials, 32 streams, 17 unique outputs, 1 divergent trials: DIVERGENT (exit 1)\n",
	} {
		if !strings.Contains(o.stdout, want) {
			t.Errorf("report lacks %q:\n%s", want, o.stdout)
		}
	}
}

func TestReplayRefusesDamagedTranscript(t *testing.T) {
	t.Attr("req", "OC-TEST-7004")
	dir := record(t)
	path := filepath.Join(dir, transcript.TrialsFile)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b[:len(b)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	o := detsuite(t, "replay", "--transcripts", dir)
	if o.code != 2 || !strings.Contains(o.stderr, "sha256") {
		t.Fatalf("exit %d stderr %q", o.code, o.stderr)
	}
	// A damaged file is not a flag mistake: no pointer to the flags.
	if strings.Contains(o.stderr, "--help") {
		t.Errorf("stderr points to --help for a damaged transcript: %q", o.stderr)
	}
}

// rewriteTrials replaces trials.jsonl and fixes the manifest's digest, as a
// deliberate edit would.
func rewriteTrials(t *testing.T, dir string, m transcript.Manifest, trials []transcript.Trial) {
	t.Helper()
	var body []byte
	for _, tr := range trials {
		line, err := json.Marshal(tr)
		if err != nil {
			t.Fatal(err)
		}
		body = append(append(body, line...), '\n')
	}
	sum := sha256.Sum256(body)
	m.TrialsSHA256 = hex.EncodeToString(sum[:])
	head, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, transcript.TrialsFile), body, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, transcript.ManifestFile), head, 0o644); err != nil {
		t.Fatal(err)
	}
}

// A divergent run can be recorded (for diagnosis) and replayed; the replay
// says its baseline came from a divergent recording.
func TestReplayOfDivergentRecording(t *testing.T) {
	t.Attr("req", "OC-TEST-7004")
	a := engine(t, server.Options{})
	b := engine(t, server.Options{EngineVersion: "refengine-other"})
	dir := filepath.Join(t.TempDir(), "rec")
	if o := detsuite(t, "run", "--engine", a, "--engine", b, "--seeds", seeds(t, 4), "--prompts", twoPrompts(t), "--record", dir); o.code != 1 {
		t.Fatalf("record: exit %d\n%s", o.code, o.stderr)
	}
	r, o := jsonReport(t, "replay", "--transcripts", dir, "--engine", a)
	if o.code != 0 || len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], "recording itself has 8 divergent trials") {
		t.Fatalf("replay against replica 0's engine: exit %d warnings %q", o.code, r.Warnings)
	}
	if _, o := jsonReport(t, "replay", "--transcripts", dir, "--engine", b); o.code != 1 {
		t.Fatalf("replay against the other engine: exit %d, want 1", o.code)
	}
}

// A llama.cpp-API recording replayed through the OpenAI API compares
// text and stop reasons ("limit" is "length"): byte-exact for the same
// build, and the version change is still caught.
func TestReplayAcrossAPIs(t *testing.T) {
	t.Attr("req", "OC-TEST-7004")
	dir := record(t)
	r, o := jsonReport(t, "replay", "--transcripts", dir, "--api", "openai")
	if o.code != 0 || r.Result != "byte-exact" || r.Engines[0].API != "openai" {
		t.Fatalf("exit %d result %s divergences %v error %q", o.code, r.Result, r.Divergences, r.Error)
	}
	other := engine(t, server.Options{EngineVersion: "refengine-9.9.9"})
	if r, o := jsonReport(t, "replay", "--transcripts", dir, "--api", "openai", "--engine", other); o.code != 1 || r.DivergentTrials != 16 {
		t.Fatalf("other build through OpenAI: exit %d divergent %d", o.code, r.DivergentTrials)
	}
}
