package engines_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"orchcore.dev/test-harness/refengine/client"
	"orchcore.dev/test-harness/refengine/server"

	"orchcore.dev/test-harness/determinism-suite/corpus"
	"orchcore.dev/test-harness/determinism-suite/drift"
	"orchcore.dev/test-harness/determinism-suite/engines"
	"orchcore.dev/test-harness/determinism-suite/suite"
	"orchcore.dev/test-harness/determinism-suite/transcript"
)

var params = transcript.Params{NPredict: 24, Temperature: 0.8, TopK: 40, TopP: 0.95, MinP: 0.05}

func refengine(t *testing.T, o server.Options) string {
	t.Helper()
	s, err := server.New(o)
	if err != nil {
		t.Fatal(err)
	}
	url, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return url
}

func TestStartAppliesAndRecordsSettings(t *testing.T) {
	t.Attr("req", "OC-TEST-7002")
	es, err := engines.Start(2, client.LlamaCpp, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	defer engines.Close(es)
	if es[0].URL == es[1].URL || !strings.HasPrefix(es[0].URL, "http://127.0.0.1:") {
		t.Fatalf("replica URLs %q %q: want two distinct loopback servers", es[0].URL, es[1].URL)
	}
	for i, e := range es {
		d, props, err := e.Describe(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if !d.StartedBySuite || d.Applied["parallel"] != 1 || d.Applied["cont_batching"] != false {
			t.Errorf("replica %d applied %v", i, d.Applied)
		}
		// What the engine itself reports agrees with what was applied.
		if props["total_slots"] == nil || props["total_slots"].(interface{ String() string }).String() != "1" {
			t.Errorf("replica %d /props total_slots = %v", i, props["total_slots"])
		}
		if d.Version != server.EngineVersion {
			t.Errorf("replica %d engine_version %q", i, d.Version)
		}
	}
	if w := engines.Warnings(describe(t, es...)); len(w) != 0 {
		t.Errorf("warnings for deterministic replicas: %q", w)
	}
}

func TestWarningsFlagNondeterministicSettings(t *testing.T) {
	t.Attr("req", "OC-TEST-7002")
	a := engines.Dial(refengine(t, server.Options{Parallel: 4, ContBatching: true}), client.LlamaCpp, "", time.Minute)
	b := engines.Dial(refengine(t, server.Options{EngineVersion: "other"}), client.LlamaCpp, "", time.Minute)
	w := engines.Warnings(describe(t, a, b))
	want := []string{"replica 0 (" + a.URL + ") reports total_slots=4", "replica 0 (" + a.URL + ") reports cont_batching=true", "different engine_version"}
	if len(w) != len(want) {
		t.Fatalf("warnings %q, want %d", w, len(want))
	}
	for i := range want {
		if !strings.Contains(w[i], want[i]) {
			t.Errorf("warning %d = %q, want it to contain %q", i, w[i], want[i])
		}
	}
}

func describe(t *testing.T, es ...*engines.Engine) ([]transcript.Engine, []map[string]any) {
	t.Helper()
	var ds []transcript.Engine
	var ps []map[string]any
	for _, e := range es {
		d, p, err := e.Describe(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		ds, ps = append(ds, d), append(ps, p)
	}
	return ds, ps
}

func TestDescribeNamesUnreachableURL(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + l.Addr().String()
	l.Close()
	_, _, err = engines.Dial(url, client.LlamaCpp, "", time.Second).Describe(context.Background())
	if err == nil || !strings.Contains(err.Error(), "health: GET "+url+"/health") {
		t.Fatalf("err = %v", err)
	}
}

func TestAuthTokenIsSent(t *testing.T) {
	url := refengine(t, server.Options{AuthToken: "s3cret"})
	if _, _, err := engines.Dial(url, client.LlamaCpp, "s3cret", time.Minute).Describe(context.Background()); err != nil {
		t.Fatal(err)
	}
	d, _, err := engines.Dial(url, client.LlamaCpp, "wrong", time.Minute).Describe(context.Background())
	if err != nil || !strings.Contains(d.PropsError, "HTTP 401") {
		t.Fatalf("wrong token: props error %q, err %v", d.PropsError, err)
	}
}

// A different seed must change the stream (OC-TEST-7005): for every corpus
// seed, the next seed of the corpus gives a different stream on the same
// engine, and the drift checker says so.
func TestNegativeControlSeedChangesStream(t *testing.T) {
	t.Attr("req", "OC-TEST-7005")
	e := engines.Dial(refengine(t, server.Options{}), client.LlamaCpp, "", time.Minute)
	seeds := corpus.DefaultSeeds().Values
	prompt := corpus.DefaultPrompts().Items[0].Text
	streams := make([]transcript.Stream, len(seeds))
	for i, s := range seeds {
		st, err := e.Complete(context.Background(), suite.Request{Prompt: prompt, Seed: s, Params: params})
		if err != nil {
			t.Fatal(err)
		}
		streams[i] = st
	}
	for i := range seeds {
		j := (i + 1) % len(seeds)
		if drift.Equal(streams[i], streams[j]) {
			t.Errorf("seeds %d and %d give the same stream %q", seeds[i], seeds[j], streams[i].Content)
		}
	}
	// And the same seed again gives the same stream (the positive control).
	again, err := e.Complete(context.Background(), suite.Request{Prompt: prompt, Seed: seeds[0], Params: params})
	if err != nil {
		t.Fatal(err)
	}
	if !drift.Equal(streams[0], again) {
		t.Fatal("the same seed gave another stream")
	}
}

// Another engine_version must change the stream (OC-TEST-7005).
func TestNegativeControlEngineVersionChangesStream(t *testing.T) {
	t.Attr("req", "OC-TEST-7005")
	a := engines.Dial(refengine(t, server.Options{}), client.LlamaCpp, "", time.Minute)
	b := engines.Dial(refengine(t, server.Options{EngineVersion: server.EngineVersion + "-rebuild"}), client.LlamaCpp, "", time.Minute)
	for _, s := range corpus.DefaultSeeds().Values[:16] {
		r := suite.Request{Prompt: "Once upon a time", Seed: s, Params: params}
		sa, err := a.Complete(context.Background(), r)
		if err != nil {
			t.Fatal(err)
		}
		sb, err := b.Complete(context.Background(), r)
		if err != nil {
			t.Fatal(err)
		}
		if drift.Equal(sa, sb) {
			t.Errorf("seed %d: engine versions %s and %s-rebuild give the same stream", s, server.EngineVersion, server.EngineVersion)
		}
	}
}

func TestHealthStatuses(t *testing.T) {
	status := func(code int) string {
		mux := http.NewServeMux()
		mux.HandleFunc("GET /health", func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(code)
			w.Write([]byte(`{"error":{"code":503,"message":"Loading model"}}`))
		})
		s := httptest.NewServer(mux)
		t.Cleanup(s.Close)
		return s.URL
	}
	loading := status(http.StatusServiceUnavailable)
	_, _, err := engines.Dial(loading, client.LlamaCpp, "", time.Minute).Describe(context.Background())
	if err == nil || !strings.Contains(err.Error(), "health: GET "+loading+"/health: HTTP 503: ") || !strings.Contains(err.Error(), "Loading model") {
		t.Fatalf("loading engine: err = %v", err)
	}
	// No /health at all (an OpenAI-style server): it answered, so go on;
	// its missing /props is recorded.
	d, _, err := engines.Dial(status(http.StatusNotFound), client.OpenAI, "", time.Minute).Describe(context.Background())
	if err != nil || !strings.Contains(d.PropsError, "HTTP 404") {
		t.Fatalf("no /health: err %v, props error %q", err, d.PropsError)
	}
}
