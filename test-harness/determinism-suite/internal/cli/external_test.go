package cli_test

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"orchcore.dev/test-harness/refengine/server"

	"orchcore.dev/test-harness/determinism-suite/internal/fakellama"
	"orchcore.dev/test-harness/determinism-suite/transcript"
)

func fake(t *testing.T, o fakellama.Options) string {
	t.Helper()
	s := fakellama.Start(o)
	t.Cleanup(s.Close)
	return s.URL
}

// A server that speaks llama.cpp and whose /props has only build_info and
// default_generation_settings: recorded as it is, and the suite runs.
func TestLlamaCppPropsRecordedAsIs(t *testing.T) {
	t.Attr("req", "OC-TEST-7002")
	t.Attr("req", "OC-TEST-7001")
	a, b := fake(t, fakellama.Options{}), fake(t, fakellama.Options{})
	dir := filepath.Join(t.TempDir(), "rec")
	r, o := jsonReport(t, "run", "--engine", a, "--engine", b+"/", "--seeds", seeds(t, 8), "--prompts", twoPrompts(t), "--record", dir)
	if o.code != 0 || r.DivergentTrials != 0 || r.Trials != 16 {
		t.Fatalf("exit %d divergent %d error %q", o.code, r.DivergentTrials, r.Error)
	}
	m, trials, err := transcript.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range m.Engines {
		// llama.cpp's build_info and model_path are the replica's identity.
		if e.StartedBySuite || e.Applied != nil || e.Version != "b4748-c392e509" || e.Model != "models/tiny.gguf" || e.PropsError != "" {
			t.Errorf("engine %d: started %v applied %v version %q model %q props error %q", i, e.StartedBySuite, e.Applied, e.Version, e.Model, e.PropsError)
		}
		if e.Sent["cache_prompt"] != false || e.Sent["stream"] != true || e.Sent["n_predict"] != 32.0 {
			t.Errorf("engine %d: recorded request %v", i, e.Sent)
		}
		if got, want := compact(t, e.Props), string(fakellama.Props(fakellama.Options{})); got != want {
			t.Errorf("engine %d props\n got %s\nwant %s", i, got, want)
		}
	}
	if m.Engines[1].URL != b {
		t.Errorf("engine URL %q, want %q (trailing slash trimmed)", m.Engines[1].URL, b)
	}
	// The streams are the fake's, token by token.
	s := trials[0].Streams[1]
	for i, id := range s.Tokens {
		if want := fakellama.Token("Once upon a time", 1, i, false); id != want || s.Pieces[i] != fakellama.Word(want) {
			t.Fatalf("token %d = %d %q, want %d", i, id, s.Pieces[i], want)
		}
	}
}

// A nondeterministic engine that speaks the llama.cpp API is caught.
func TestNegativeControlNondeterministicLlamaCpp(t *testing.T) {
	t.Attr("req", "OC-TEST-7005")
	a := fake(t, fakellama.Options{Nondeterministic: true, Slots: 4})
	b := fake(t, fakellama.Options{Nondeterministic: true, Slots: 4})
	r, o := jsonReport(t, "run", "--engine", a, "--engine", b, "--seeds", seeds(t, 8), "--prompts", twoPrompts(t))
	if o.code != 1 || r.DivergentTrials == 0 {
		t.Fatalf("exit %d with %d divergent trials; want exit 1", o.code, r.DivergentTrials)
	}
	if len(r.Warnings) == 0 || !strings.Contains(r.Warnings[0], "total_slots=4") {
		t.Fatalf("warnings %q", r.Warnings)
	}
	d := r.Divergences[0]
	if d.Replica != 1 || d.Index < 0 || d.Index >= 32 || d.Want.Tokens[0] == d.Got.Tokens[0] {
		t.Fatalf("divergence %+v", d)
	}
}

func TestEngineWithoutProps(t *testing.T) {
	t.Attr("req", "OC-TEST-7002")
	a, b := fake(t, fakellama.Options{NoProps: true}), fake(t, fakellama.Options{NoProps: true})
	r, o := jsonReport(t, "run", "--engine", a, "--engine", b, "--seeds", seeds(t, 2), "--prompts", twoPrompts(t))
	if o.code != 0 || !strings.Contains(r.Engines[0].PropsError, "404") || r.Engines[0].Props != nil {
		t.Fatalf("exit %d engine %+v error %q", o.code, r.Engines[0], r.Error)
	}
}

func TestConnectionAndProtocolErrors(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String()
	l.Close()
	good := engine(t, server.Options{})
	garbage := fake(t, fakellama.Options{Garbage: true})
	cases := []struct {
		name, url, want string
	}{
		{"refused", closed, "health: GET " + closed + "/health"},
		{"protocol", garbage, "POST " + garbage + "/completion"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, args := range [][]string{
				{"run", "--engine", good, "--engine", c.url, "--seeds", seeds(t, 2)},
				{"run", "--engine", good, "--engine", c.url, "--seeds", seeds(t, 2), "--json"},
			} {
				o := detsuite(t, args...)
				if o.code != 2 || !strings.Contains(o.stderr, c.want) {
					t.Fatalf("%v: exit %d, stderr %q; want it to contain %q", args, o.code, o.stderr, c.want)
				}
			}
		})
	}
}

func TestUsageErrors(t *testing.T) {
	e := "http://127.0.0.1:1"
	cases := []struct {
		args []string
		want string
	}{
		{nil, "usage:"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"run", "--nope"}, "flag provided but not defined: -nope"},
		{[]string{"run", "extra"}, `unexpected argument "extra"`},
		{[]string{"run", "--replicas", "1"}, "--replicas must be at least 2"},
		{[]string{"run", "--replicas", "3", "--engine", e}, "exclude each other"},
		{[]string{"run", "--engine", e}, "give at least two"},
		{[]string{"run", "--engine", "127.0.0.1:1"}, "want an http:// or https:// URL"},
		{[]string{"run", "--api", "grpc"}, `unknown API "grpc"`},
		{[]string{"run", "--n-predict", "0"}, "--n-predict must be at least 1"},
		{[]string{"run", "--concurrency", "0"}, "--concurrency must be at least 1"},
		{[]string{"run", "--seeds", "/nonexistent/seeds.txt"}, "--seeds: open /nonexistent/seeds.txt"},
		{[]string{"replay"}, "--transcripts DIR is required"},
		{[]string{"replay", "--transcripts", "/nonexistent"}, "manifest.json"},
	}
	for _, c := range cases {
		o := detsuite(t, c.args...)
		if o.code != 2 || !strings.Contains(o.stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", c.args, o.code, o.stderr, c.want)
		}
		if o.stdout != "" {
			t.Errorf("%v: a usage error wrote %q to stdout", c.args, o.stdout)
		}
	}
	if o := detsuite(t, "help"); o.code != 0 || !strings.Contains(o.stdout, "detsuite replay") {
		t.Errorf("help: exit %d stdout %q", o.code, o.stdout)
	}
}

func TestProgressLineOnlyOnTerminal(t *testing.T) {
	args := []string{"run", "--seeds", seeds(t, 8), "--prompts", twoPrompts(t)}
	o := detsuiteCtx(t, context.Background(), true, args...)
	if o.code != 0 || !strings.Contains(o.stderr, "\r[16/16] trials, 0 divergent\n") || !strings.Contains(o.stderr, "\r[ 1/16] trials, 0 divergent") {
		t.Fatalf("tty: exit %d stderr %q", o.code, o.stderr)
	}
	if strings.Contains(o.stdout, "\r") {
		t.Fatalf("progress leaked to stdout: %q", o.stdout)
	}
	if o := detsuiteCtx(t, context.Background(), false, args...); o.code != 0 || o.stderr != "" {
		t.Fatalf("no tty: exit %d stderr %q", o.code, o.stderr)
	}
}

// Canceling the context (SIGINT in main) stops the run with exit 130, a
// clear message, and no transcript, partial or whole.
func TestInterruptLeavesNoTranscript(t *testing.T) {
	t.Attr("req", "OC-TEST-7004")
	slow := server.Options{Latency: 20 * time.Millisecond}
	a, b := engine(t, slow), engine(t, slow)
	parent := t.TempDir()
	dir := filepath.Join(parent, "rec")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Cancel after the first finished trial, through the progress line.
	w := &cancelOnWrite{cancel: cancel}
	var out strings.Builder
	code := mainWith(ctx, w, &out, "run", "--engine", a, "--engine", b, "--record", dir)
	if code != 130 || !strings.Contains(w.String(), "interrupted") {
		t.Fatalf("exit %d stderr %q", code, w.String())
	}
	// The summary counts what finished before the interrupt, never the
	// 640 planned trials of the embedded corpus.
	if !strings.Contains(out.String(), "result: STOPPED after ") || !strings.Contains(out.String(), " of 640 planned trials") ||
		!strings.Contains(out.String(), ": INTERRUPTED (exit 130)") || strings.Contains(out.String(), "INCOMPLETE") {
		t.Errorf("interrupted summary does not say it is incomplete:\n%s", out.String())
	}
	if strings.Contains(out.String(), "transcript: ") {
		t.Errorf("interrupted run names a transcript it did not write:\n%s", out.String())
	}
	entries, err := os.ReadDir(parent)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 0 {
		t.Fatalf("interrupted run left %v", entries)
	}
}
