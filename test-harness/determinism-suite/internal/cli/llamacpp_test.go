package cli_test

import (
	"net"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"orchcore.dev/test-harness/determinism-suite/engines"
	"orchcore.dev/test-harness/determinism-suite/internal/fakellama"
	"orchcore.dev/test-harness/determinism-suite/report"
	"orchcore.dev/test-harness/determinism-suite/transcript"
)

var prompts2 = []string{"Once upon a time", "The water cycle"}

// Two replicas that generate the same text under other ids for lead
// bytes, ids llama.cpp never streams: the stream alone would look
// byte-exact. The suite resolves the withheld ids and reports each such
// trial divergent at the token index of the first renamed id.
func TestMaskedIDDifferenceCaught(t *testing.T) {
	t.Attr("req", "OC-TEST-7001")
	t.Attr("req", "OC-TEST-7004")
	t.Attr("req", "OC-TEST-7005")
	a := fake(t, fakellama.Options{Bytes: true})
	b := fake(t, fakellama.Options{Bytes: true, RenameBytes: true})
	r, o := jsonReport(t, "run", "--engine", a, "--engine", b, "--seeds", seeds(t, 8), "--prompts", twoPrompts(t), "--n-predict", "4")
	want := map[[2]int]int{} // (prompt, seed) -> index of the first lead byte
	for p, text := range prompts2 {
		for seed := 1; seed <= 8; seed++ {
			for i := range 4 {
				if fakellama.Lead(fakellama.Token(text, int64(seed), i, true)) {
					want[[2]int{p, seed}] = i
					break
				}
			}
		}
	}
	if len(want) == 0 || len(want) == 16 {
		t.Fatalf("%d of 16 trials have a lead byte: the control shows nothing", len(want))
	}
	if o.code != 1 || r.DivergentTrials != len(want) || r.Result != report.Divergent {
		t.Fatalf("exit %d, %d divergent trials (want %d), result %s, error %q", o.code, r.DivergentTrials, len(want), r.Result, r.Error)
	}
	for _, d := range r.Divergences {
		p := map[string]int{"a": 0, "b": 1}[d.PromptID]
		i, ok := want[[2]int{p, int(d.Seed)}]
		if !ok || d.Index != i || d.Got.Tokens[0] != d.Want.Tokens[0]+1000 {
			t.Errorf("seed %d prompt %s: divergence at %d (want %d), ids %v vs %v", d.Seed, d.PromptID, d.Index, i, d.Want.Tokens, d.Got.Tokens)
		}
	}
}

// The same replicas without renaming agree: the withheld ids are filled
// in from the non-streamed request and the run is byte-exact, with the
// whole generated text in the transcript.
func TestWithheldIDsResolved(t *testing.T) {
	t.Attr("req", "OC-TEST-7001")
	a, b := fake(t, fakellama.Options{Bytes: true}), fake(t, fakellama.Options{Bytes: true})
	dir := filepath.Join(t.TempDir(), "rec")
	r, o := jsonReport(t, "run", "--engine", a, "--engine", b, "--seeds", seeds(t, 8), "--prompts", twoPrompts(t), "--record", dir)
	if o.code != 0 || r.Result != report.ByteExact || r.IncompleteTrials != 0 {
		t.Fatalf("exit %d result %s incomplete %d error %q unproven %v", o.code, r.Result, r.IncompleteTrials, r.Error, r.Unproven)
	}
	_, trials, err := transcript.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	resolved := 0
	for _, tr := range trials {
		for _, s := range tr.Streams {
			if len(s.Tokens) != 32 || s.Missing() != 0 {
				t.Fatalf("seed %d: %d ids, %d missing", tr.Seed, len(s.Tokens), s.Missing())
			}
			for i, id := range s.Tokens {
				if want := fakellama.Token(tr.Prompt, int64(tr.Seed), i, true); id != want {
					t.Fatalf("seed %d token %d = %d, want %d", tr.Seed, i, id, want)
				}
			}
			if s.IDsFrom == "return_tokens" {
				resolved++
			}
		}
	}
	if resolved == 0 {
		t.Fatal("no stream needed its ids resolved: the test shows nothing")
	}
}

// Through the OpenAI API (no ids) a stream with tokens that had no chunk
// of their own is never counted byte-exact: the trial is INCOMPLETE, and
// so is the run (exit 1).
func TestIncompleteNeverByteExact(t *testing.T) {
	t.Attr("req", "OC-TEST-7001")
	a, b := fake(t, fakellama.Options{Bytes: true}), fake(t, fakellama.Options{Bytes: true})
	args := []string{"run", "--api", "openai", "--engine", a, "--engine", b, "--seeds", seeds(t, 8), "--prompts", twoPrompts(t)}
	r, o := jsonReport(t, args...)
	if o.code != 1 || r.Result != report.Unproven || r.IncompleteTrials == 0 || r.DivergentTrials != 0 {
		t.Fatalf("exit %d result %s incomplete %d divergent %d error %q", o.code, r.Result, r.IncompleteTrials, r.DivergentTrials, r.Error)
	}
	if u := r.Unproven[0]; !strings.Contains(u.Why, "OpenAI API carries no ids") || u.Of != "both" {
		t.Errorf("unproven %+v", u)
	}
	h := detsuite(t, args...)
	if h.code != 1 || !strings.Contains(h.stdout, "INCOMPLETE seed ") || !strings.Contains(h.stdout, ": INCOMPLETE (exit 1)") {
		t.Errorf("text report:\n%s", h.stdout)
	}
	// Without byte tokens every token has its chunk: byte-exact.
	c, d := fake(t, fakellama.Options{}), fake(t, fakellama.Options{})
	if r, o := jsonReport(t, "run", "--api", "openai", "--engine", c, "--engine", d, "--seeds", seeds(t, 4), "--prompts", twoPrompts(t)); o.code != 0 {
		t.Errorf("ASCII through OpenAI: exit %d result %s unproven %v", o.code, r.Result, r.Unproven)
	}
}

// An error line after the stream began surfaces with the engine's message.
func TestMidStreamErrorSurfaces(t *testing.T) {
	for _, api := range []string{"llamacpp", "openai"} {
		a, b := fake(t, fakellama.Options{ErrorAfter: 2}), fake(t, fakellama.Options{ErrorAfter: 2})
		o := detsuite(t, "run", "--api", api, "--engine", a, "--engine", b, "--seeds", seeds(t, 2), "--prompts", twoPrompts(t))
		if o.code != 2 || !strings.Contains(o.stderr, fakellama.ContextError) || !strings.Contains(o.stderr, "after 2 events") {
			t.Errorf("%s: exit %d stderr %q", api, o.code, o.stderr)
		}
		if n := strings.Count(o.stderr, a) + strings.Count(o.stderr, b); n != 1 {
			t.Errorf("%s: the URL is named %d times in %q", api, n, o.stderr)
		}
	}
}

// A seed llama.cpp cannot carry (4294967295 means random, larger ones are
// cut to 32 bits) is refused before anything is sent.
func TestSeedsOutsideRangeRefused(t *testing.T) {
	f := fakellama.Start(fakellama.Options{})
	defer f.Close()
	g := fake(t, fakellama.Options{})
	for _, s := range []string{"4294967295", "4294967296", "18446744073709551615"} {
		o := detsuite(t, "run", "--engine", f.URL, "--engine", g, "--seeds", file(t, "s.txt", "1\n"+s+"\n"), "--prompts", twoPrompts(t))
		if o.code != 2 || !strings.Contains(o.stderr, "seed "+s+" is outside") || o.stdout != "" {
			t.Errorf("seed %s: exit %d stderr %q", s, o.code, o.stderr)
		}
	}
	if n := len(f.Bodies()); n != 0 {
		t.Errorf("%d requests sent for a refused seed file", n)
	}
	if o := detsuite(t, "run", "--engine", f.URL, "--engine", g, "--seeds", file(t, "s.txt", "4294967294\n"), "--prompts", twoPrompts(t)); o.code != 0 {
		t.Errorf("the largest seed was refused: exit %d %q", o.code, o.stderr)
	}
}

// --wait waits out llama.cpp's 503 "Loading model"; without it the 503 is
// an error naming the URL and the engine's answer.
func TestWaitForLoadingModel(t *testing.T) {
	old := engines.PollEvery
	engines.PollEvery = 5 * time.Millisecond
	defer func() { engines.PollEvery = old }()
	a, b := fake(t, fakellama.Options{Loading: 3}), fake(t, fakellama.Options{Loading: 2})
	o := detsuite(t, "run", "--engine", a, "--engine", b, "--seeds", seeds(t, 2), "--prompts", twoPrompts(t))
	if o.code != 2 || !strings.Contains(o.stderr, "HTTP 503") || !strings.Contains(o.stderr, "Loading model") || !strings.Contains(o.stdout, "2 replicas") ||
		strings.Count(o.stderr, a) != 1 || strings.Contains(o.stdout, "HTTP 503") {
		t.Fatalf("no --wait: exit %d stderr %q stdout %q", o.code, o.stderr, o.stdout)
	}
	o = detsuiteCtx(t, t.Context(), true, "run", "--wait", "10s", "--engine", a, "--engine", b, "--seeds", seeds(t, 2), "--prompts", twoPrompts(t))
	line := regexp.MustCompile(`\rwaiting for replica 0 \(` + regexp.QuoteMeta(a) + `\), [0-9]+\.[0-9]s of 10s: HTTP 503: [^\r]*Loading model`)
	if o.code != 0 || !line.MatchString(o.stderr) || strings.Count(o.stderr, a) != strings.Count(o.stderr, "waiting for replica 0") {
		t.Fatalf("--wait: exit %d stderr %q", o.code, o.stderr)
	}
	c := fake(t, fakellama.Options{Loading: 1000})
	o = detsuite(t, "run", "--wait", "50ms", "--engine", a, "--engine", c, "--seeds", seeds(t, 2), "--prompts", twoPrompts(t))
	if o.code != 2 || !strings.Contains(o.stderr, "not ready after --wait 50ms") || strings.Count(o.stderr, c) != 1 {
		t.Fatalf("never ready: exit %d stderr %q", o.code, o.stderr)
	}
}

// Replicas on another model file or with another sampler default are
// named in warnings with the field and both values.
func TestIdentityAndSamplerWarnings(t *testing.T) {
	t.Attr("req", "OC-TEST-7002")
	a := fake(t, fakellama.Options{})
	b := fake(t, fakellama.Options{RepeatPenalty: 1.3, ModelPath: "models/other.gguf", Build: "b4749-0000000"})
	r, _ := jsonReport(t, "run", "--engine", a, "--engine", b, "--seeds", seeds(t, 2), "--prompts", twoPrompts(t))
	all := strings.Join(r.Warnings, "\n")
	for _, want := range []string{
		"default_generation_settings.params.repeat_penalty: 1.3 vs 1",
		"different model: models/other.gguf vs models/tiny.gguf",
		"different engine_version: b4749-0000000 vs b4748-c392e509",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("warnings lack %q:\n%s", want, all)
		}
	}
	if r, _ := jsonReport(t, "run", "--engine", a, "--engine", fake(t, fakellama.Options{}), "--seeds", seeds(t, 2), "--prompts", twoPrompts(t)); len(r.Warnings) != 0 {
		t.Errorf("identical replicas warned: %q", r.Warnings)
	}
}

// A recording made against external engines cannot be replayed against
// the built-in reference engine by leaving out --engine; replayed against
// engines with other properties, it says which.
func TestReplayOfExternalRecording(t *testing.T) {
	t.Attr("req", "OC-TEST-7004")
	a, b := fake(t, fakellama.Options{}), fake(t, fakellama.Options{})
	dir := filepath.Join(t.TempDir(), "rec")
	if _, o := jsonReport(t, "run", "--engine", a, "--engine", b, "--seeds", seeds(t, 2), "--prompts", twoPrompts(t), "--record", dir); o.code != 0 {
		t.Fatalf("record: exit %d %q", o.code, o.stderr)
	}
	o := detsuite(t, "replay", "--transcripts", dir)
	if o.code != 2 || !strings.Contains(o.stderr, "recorded against engines the suite did not start") || o.stdout != "" {
		t.Fatalf("replay without --engine: exit %d stderr %q", o.code, o.stderr)
	}
	c := fake(t, fakellama.Options{RepeatPenalty: 1.3})
	r, o2 := jsonReport(t, "replay", "--transcripts", dir, "--engine", c)
	if o2.code != 0 || len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], "differs from the recording's replica 0") || !strings.Contains(r.Warnings[0], "repeat_penalty: 1 vs 1.3") {
		t.Fatalf("replay: exit %d warnings %q", o2.code, r.Warnings)
	}
}

// On /v1/completions llama.cpp caches prompts unless told not to; the
// suite says cache_prompt false and records what it sent.
func TestOpenAINoPromptCache(t *testing.T) {
	t.Attr("req", "OC-TEST-7002")
	f := fakellama.Start(fakellama.Options{})
	defer f.Close()
	g := fake(t, fakellama.Options{})
	r, o := jsonReport(t, "run", "--api", "openai", "--engine", f.URL, "--engine", g, "--seeds", seeds(t, 4), "--prompts", twoPrompts(t))
	if o.code != 0 || r.Engines[0].Sent["cache_prompt"] != false {
		t.Fatalf("exit %d result %s sent %v", o.code, r.Result, r.Engines[0].Sent)
	}
	for _, b := range f.Bodies() {
		if b["cache_prompt"] != false {
			t.Fatalf("request %v", b)
		}
	}
}

// llama.cpp closes the connection after every streamed response while
// advertising keep-alive; the suite survives it one request at a time and
// under load (with Go's default handling of a POST this failed in most
// runs: see refengine/client's TestNaiveConnectionsFailOnCloseAfterStream).
func TestSurvivesCloseAfterEveryStream(t *testing.T) {
	t.Attr("req", "OC-TEST-7001")
	a, b := fake(t, fakellama.Options{}), fake(t, fakellama.Options{})
	for _, c := range []string{"1", "8"} {
		r, o := jsonReport(t, "run", "--concurrency", c, "--engine", a, "--engine", b, "--seeds", seeds(t, 16), "--prompts", twoPrompts(t))
		if o.code != 0 || r.Streams != 64 {
			t.Errorf("concurrency %s: exit %d, %d streams, error %q", c, o.code, r.Streams, r.Error)
		}
	}
}

// Through the OpenAI API the responses' system_fingerprint is the engine
// version when /props names none, and replicas that differ are warned.
func TestSystemFingerprintIsTheVersion(t *testing.T) {
	t.Attr("req", "OC-TEST-7002")
	a := fake(t, fakellama.Options{NoProps: true})
	b := fake(t, fakellama.Options{NoProps: true, Build: "b4749-0000000"})
	r, _ := jsonReport(t, "run", "--api", "openai", "--engine", a, "--engine", b, "--seeds", seeds(t, 2), "--prompts", twoPrompts(t))
	if r.Engines[0].Version != "b4748-c392e509" || r.Engines[1].Version != "b4749-0000000" {
		t.Errorf("versions %q %q", r.Engines[0].Version, r.Engines[1].Version)
	}
	if w := strings.Join(r.Warnings, "\n"); !strings.Contains(w, "different system_fingerprint (b4748-c392e509, b4749-0000000)") {
		t.Errorf("warnings %q", r.Warnings)
	}
}

// Every error names the URL once, also when the connection is refused.
func TestRefusedURLNamedOnce(t *testing.T) {
	a := fake(t, fakellama.Options{})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := "http://" + ln.Addr().String()
	ln.Close()
	o := detsuite(t, "run", "--engine", a, "--engine", l, "--seeds", seeds(t, 2), "--prompts", twoPrompts(t))
	if o.code != 2 || strings.Count(o.stderr, l) != 1 || !strings.Contains(o.stderr, "connection refused") {
		t.Errorf("exit %d stderr %q", o.code, o.stderr)
	}
}
