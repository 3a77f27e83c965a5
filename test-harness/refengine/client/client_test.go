package client_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"orchcore.dev/test-harness/refengine/client"
	"orchcore.dev/test-harness/refengine/server"
)

func startEngine(t *testing.T, o server.Options) string {
	t.Helper()
	s, err := server.New(o)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(func() { ts.Close(); s.Close() })
	return ts.URL
}

var req = client.Request{Prompt: "The choir", NPredict: 10, Seed: 9, Temperature: 0.8, TopK: 40, TopP: 0.95, MinP: 0.05}

func TestCompleteBothAPIsAgree(t *testing.T) {
	url := startEngine(t, server.Options{})
	ctx := context.Background()
	l, err := client.New(url, client.LlamaCpp).Complete(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	o, err := client.New(url, client.OpenAI).Complete(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Tokens) != 10 || len(l.Pieces) != 10 || l.Content != strings.Join(l.Pieces, "") || len(l.Raw) != 11 {
		t.Errorf("llama.cpp result: %d tokens, %d pieces, %d raw, content %q", len(l.Tokens), len(l.Pieces), len(l.Raw), l.Content)
	}
	if l.StopType != "limit" || l.Settings["seed"] != 9.0 || l.Settings["engine_version"] != server.EngineVersion {
		t.Errorf("llama.cpp stop %q settings %v", l.StopType, l.Settings)
	}
	if o.Tokens != nil || len(o.Pieces) != 10 || len(o.Raw) != 12 || string(o.Raw[11]) != "[DONE]" {
		t.Errorf("OpenAI result: tokens %v, %d pieces, %d raw", o.Tokens, len(o.Pieces), len(o.Raw))
	}
	if o.StopType != "length" || o.Settings["system_fingerprint"] != server.EngineVersion {
		t.Errorf("OpenAI stop %q settings %v", o.StopType, o.Settings)
	}
	if l.Content != o.Content {
		t.Errorf("same request, llama.cpp %q vs OpenAI %q", l.Content, o.Content)
	}
}

func TestPropsHealthAndToken(t *testing.T) {
	url := startEngine(t, server.Options{AuthToken: "tok"})
	ctx := context.Background()
	if err := client.New(url, client.LlamaCpp).Health(ctx); err != nil {
		t.Errorf("health: %v", err)
	}
	_, err := client.New(url, client.LlamaCpp).Props(ctx)
	if err == nil || !strings.Contains(err.Error(), url+"/props") || !strings.Contains(err.Error(), "HTTP 401") {
		t.Errorf("props without token: %v", err)
	}
	p, err := client.New(url, client.LlamaCpp, client.WithToken("tok")).Props(ctx)
	if err != nil || p["model_digest"] != server.ModelDigest() {
		t.Errorf("props: %v, %v", p["model_digest"], err)
	}
}

func TestErrorsNameURLStatusAndBody(t *testing.T) {
	url := startEngine(t, server.Options{})
	bad := req
	bad.TopP = 2
	_, err := client.New(url, client.LlamaCpp).Complete(context.Background(), bad)
	if err == nil {
		t.Fatal("top_p 2 accepted")
	}
	for _, want := range []string{"POST " + url + "/completion", "HTTP 400", `"top_p"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

// canned serves body as a 200 text/event-stream for any request.
type canned string

func (c canned) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{
		StatusCode: 200,
		Header:     http.Header{"Content-Type": {"text/event-stream"}},
		Body:       io.NopCloser(strings.NewReader(string(c))),
		Request:    r,
	}, nil
}

func complete(api client.API, body string) (*client.Result, error) {
	c := client.New("http://engine.test", api, client.WithHTTPClient(&http.Client{Transport: canned(body)}))
	return c.Complete(context.Background(), req)
}

func TestMalformedStreamsAreErrors(t *testing.T) {
	cases := []struct {
		name string
		api  client.API
		body string
		want string
	}{
		{"bad JSON", client.LlamaCpp, "data: {\"content\":\"a\",\"stop\":false}\n\ndata: {oops\n\n", "event 2: malformed JSON"},
		{"missing stop", client.LlamaCpp, "data: {\"content\":\"a\"}\n\n", `event 1: missing "stop"`},
		{"no final event", client.LlamaCpp, "data: {\"content\":\"a\",\"stop\":false}\n\n", "without its final event"},
		{"data after final", client.LlamaCpp, "data: {\"content\":\"\",\"stop\":true}\n\ndata: {\"content\":\"a\",\"stop\":false}\n\n", "event 2: data after the final event"},
		{"OpenAI no DONE", client.OpenAI, "data: {\"choices\":[{\"text\":\"a\",\"finish_reason\":\"length\"}]}\n\n", "without its final event"},
		{"OpenAI DONE early", client.OpenAI, "data: [DONE]\n\n", "event 1: [DONE] before any finish_reason"},
		{"OpenAI two choices", client.OpenAI, "data: {\"choices\":[{\"text\":\"a\"},{\"text\":\"b\"}]}\n\n", "event 1: want exactly one choice"},
		{"OpenAI chunk after finish", client.OpenAI, "data: {\"choices\":[{\"text\":\"\",\"finish_reason\":\"length\"}]}\n\ndata: {\"choices\":[{\"text\":\"a\"}]}\n\n", "event 2: chunk after finish_reason"},
	}
	for _, c := range cases {
		_, err := complete(c.api, c.body)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "http://engine.test/") {
			t.Errorf("%s: error %v, want one naming the URL and %q", c.name, err, c.want)
		}
	}
}

func TestWellFormedCannedStream(t *testing.T) {
	res, err := complete(client.LlamaCpp, "data: {\"content\":\"h\",\"tokens\":[73],\"stop\":false}\n\n"+
		"data: {\"content\":\"i\",\"tokens\":[74],\"stop\":false}\n\n"+
		"data: {\"content\":\"\",\"tokens\":[],\"stop\":true,\"stop_type\":\"eos\",\"generation_settings\":{\"seed\":4}}\n\n")
	if err != nil {
		t.Fatal(err)
	}
	if res.Content != "hi" || !slices.Equal(res.Tokens, []int{73, 74}) || res.StopType != "eos" || res.Settings["seed"] != 4.0 {
		t.Errorf("result %+v", res)
	}
}

func TestParseAPI(t *testing.T) {
	for _, a := range []client.API{client.LlamaCpp, client.OpenAI} {
		if got, err := client.ParseAPI(a.String()); err != nil || got != a {
			t.Errorf("ParseAPI(%q) = %v, %v", a.String(), got, err)
		}
	}
	if _, err := client.ParseAPI("vllm"); err == nil {
		t.Error("ParseAPI accepted vllm")
	}
}

// FuzzComplete feeds arbitrary stream bodies to both event parsers: they
// must not panic, and every failure must name the URL.
func FuzzComplete(f *testing.F) {
	f.Add(false, "data: {\"content\":\"a\",\"tokens\":[1],\"stop\":false}\n\ndata: {\"content\":\"\",\"stop\":true}\n\n")
	f.Add(true, "data: {\"choices\":[{\"text\":\"a\",\"finish_reason\":\"length\"}]}\n\ndata: [DONE]\n\n")
	f.Fuzz(func(t *testing.T, openAI bool, body string) {
		api := client.LlamaCpp
		if openAI {
			api = client.OpenAI
		}
		res, err := complete(api, body)
		if err != nil {
			if !strings.Contains(err.Error(), "http://engine.test/") {
				t.Fatalf("error does not name the URL: %v", err)
			}
			return
		}
		if res.Content != strings.Join(res.Pieces, "") || len(res.Raw) == 0 {
			t.Fatalf("inconsistent result %+v", res)
		}
	})
}
