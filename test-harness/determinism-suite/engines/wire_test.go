package engines_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"orchcore.dev/test-harness/refengine/client"
	"orchcore.dev/test-harness/refengine/server"

	"orchcore.dev/test-harness/determinism-suite/engines"
	"orchcore.dev/test-harness/determinism-suite/internal/fakellama"
	"orchcore.dev/test-harness/determinism-suite/suite"
	"orchcore.dev/test-harness/determinism-suite/transcript"
)

// keys lists an object's top-level keys in the order they appear.
func keys(t *testing.T, raw []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("not an object: %s", raw)
	}
	var out []string
	for dec.More() {
		k, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, k.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func field(t *testing.T, raw []byte, path ...string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	for _, p := range path {
		v = v.(map[string]any)[p]
	}
	return v
}

// The reference engine's llama.cpp stream has llama.cpp's event shapes:
// one event per token with exactly llama.cpp's partial fields in its
// order, then one final event with stop, stop_type and the settings.
func TestWireLlamaCppEventShapes(t *testing.T) {
	c := client.New(refengine(t, server.Options{}), client.LlamaCpp)
	res, err := c.Complete(context.Background(), client.Request{Prompt: "Once upon a time", NPredict: 5, Seed: 42, Temperature: 0.8, TopK: 40, TopP: 0.95, MinP: 0.05})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Raw) != 6 {
		t.Fatalf("%d events, want 5 token events and 1 final", len(res.Raw))
	}
	partial := []string{"index", "content", "tokens", "stop", "id_slot", "tokens_predicted", "tokens_evaluated"}
	for i, ev := range res.Raw[:5] {
		if diff := cmp.Diff(partial, keys(t, ev)); diff != "" {
			t.Fatalf("event %d keys (-llama.cpp +got):\n%s", i, diff)
		}
		if field(t, ev, "stop") != false || len(field(t, ev, "tokens").([]any)) != 1 || field(t, ev, "tokens_predicted") != float64(i+1) {
			t.Fatalf("event %d: %s", i, ev)
		}
	}
	final := res.Raw[5]
	want := []string{"index", "content", "tokens", "id_slot", "stop", "model", "tokens_predicted", "tokens_evaluated",
		"generation_settings", "prompt", "has_new_line", "truncated", "stop_type", "stopping_word", "tokens_cached", "timings"}
	if diff := cmp.Diff(want, keys(t, final)); diff != "" {
		t.Fatalf("final event keys (-llama.cpp +got):\n%s", diff)
	}
	if field(t, final, "stop") != true || field(t, final, "stop_type") != "limit" || field(t, final, "content") != "" ||
		field(t, final, "generation_settings", "seed") != float64(42) {
		t.Fatalf("final event: %s", final)
	}
	if res.StopType != "limit" || len(res.Tokens) != 5 || len(res.Pieces) != 5 {
		t.Fatalf("result: stop %q tokens %v pieces %q", res.StopType, res.Tokens, res.Pieces)
	}
}

// The reference engine's OpenAI stream has OpenAI's text_completion chunk
// shape and ends with [DONE].
func TestWireOpenAIEventShapes(t *testing.T) {
	c := client.New(refengine(t, server.Options{}), client.OpenAI)
	res, err := c.Complete(context.Background(), client.Request{Prompt: "Once upon a time", NPredict: 4, Seed: 42, Temperature: 0.8, TopK: 40, TopP: 0.95, MinP: 0.05})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(res.Raw); n < 5 || string(res.Raw[n-1]) != "[DONE]" {
		t.Fatalf("%d events, last %q; want chunks then [DONE]", n, res.Raw[len(res.Raw)-1])
	}
	chunk := []string{"choices", "created", "model", "system_fingerprint", "object", "id"}
	choice := []string{"text", "index", "logprobs", "finish_reason"}
	for i, ev := range res.Raw[:len(res.Raw)-1] {
		got := keys(t, ev)
		if !slices.Equal(got, chunk) && !slices.Equal(got, append(slices.Clone(chunk[:5]), "usage", "id")) {
			t.Fatalf("chunk %d keys %v, want %v", i, got, chunk)
		}
		if field(t, ev, "object") != "text_completion" {
			t.Fatalf("chunk %d object %v", i, field(t, ev, "object"))
		}
		ch, _ := json.Marshal(field(t, ev, "choices").([]any)[0])
		if diff := cmp.Diff(choice, sortedLike(keys(t, ch), choice)); diff != "" {
			t.Fatalf("chunk %d choice keys: %s", i, diff)
		}
	}
	if res.StopType != "length" || res.Tokens != nil || len(res.Pieces) != 4 {
		t.Fatalf("result: stop %q tokens %v pieces %q", res.StopType, res.Tokens, res.Pieces)
	}
}

// sortedLike orders got by the positions its items have in like (Go's
// encoding of a map loses the wire order; the set is what is checked).
func sortedLike(got, like []string) []string {
	slices.SortFunc(got, func(a, b string) int { return slices.Index(like, a) - slices.Index(like, b) })
	return got
}

// The llama.cpp stand-in writes llama.cpp's exact bytes for its events.
func TestWireFakeLlamaCppBytes(t *testing.T) {
	got := string(fakellama.Partial(" the", 279, 1))
	want := "data: {\"index\":0,\"content\":\" the\",\"tokens\":[279],\"stop\":false,\"id_slot\":-1,\"tokens_predicted\":1,\"tokens_evaluated\":5}\n\n"
	if got != want {
		t.Fatalf("partial\n got %q\nwant %q", got, want)
	}
	final := fakellama.Final("Hi", 7, 3)
	if !bytes.HasPrefix(final, []byte(`data: {"index":0,"content":"","tokens":[],"id_slot":0,"stop":true,"model":"gpt-3.5-turbo","tokens_predicted":3,`)) ||
		!bytes.HasSuffix(final, []byte("}}\n\n")) || !bytes.Contains(final, []byte(`"stop_type":"limit"`)) {
		t.Fatalf("final %s", final)
	}
}

// Literal streams as llama.cpp and an OpenAI-compatible server send them
// (CRLF line ends, a keep-alive comment, several tokens in one event, a
// multi-byte UTF-8 piece) become the stream the suite compares.
func TestWireLiteralStreams(t *testing.T) {
	cases := []struct {
		name string
		api  client.API
		body string
		want transcript.Stream
	}{
		{
			name: "llama.cpp",
			api:  client.LlamaCpp,
			body: ": keep-alive\r\n\r\n" +
				"data: {\"index\":0,\"content\":\" caf\\u00e9\",\"tokens\":[7, 8],\"stop\":false,\"id_slot\":-1,\"tokens_predicted\":2,\"tokens_evaluated\":3}\r\n\r\n" +
				"data: {\"index\":0,\"content\":\" 東京\",\"tokens\":[9],\"stop\":false,\"id_slot\":-1,\"tokens_predicted\":3,\"tokens_evaluated\":3}\r\n\r\n" +
				"data: {\"index\":0,\"content\":\"\",\"tokens\":[],\"id_slot\":0,\"stop\":true,\"model\":\"m\",\"tokens_predicted\":3,\"tokens_evaluated\":3,\"generation_settings\":{\"seed\":1},\"stop_type\":\"eos\",\"stopping_word\":\"\"}\r\n\r\n",
			// Two ids in one event: its text sits at the index of the last.
			want: transcript.Stream{Tokens: []int{7, 8, 9}, Pieces: []string{"", " café", " 東京"}, Content: " café 東京", StopType: "eos", Predicted: 3},
		},
		{
			name: "openai",
			api:  client.OpenAI,
			body: "data: {\"choices\":[{\"text\":\" a\",\"index\":0,\"logprobs\":null,\"finish_reason\":null}],\"created\":1,\"model\":\"m\",\"system_fingerprint\":\"b1\",\"object\":\"text_completion\",\"id\":\"cmpl-1\"}\n\n" +
				"data: {\"choices\":[{\"text\":\" b\",\"index\":0,\"logprobs\":null,\"finish_reason\":\"length\"}],\"created\":1,\"model\":\"m\",\"system_fingerprint\":\"b1\",\"object\":\"text_completion\",\"id\":\"cmpl-1\"}\n\n" +
				"data: [DONE]\n\n",
			// No usage: the count is unknown, so the stream is not whole.
			want: transcript.Stream{Pieces: []string{" a", " b"}, Content: " a b", StopType: "length",
				Incomplete: "the engine did not say how many tokens it generated (no tokens_predicted, no usage.completion_tokens): tokens without a chunk of their own cannot be ruled out"},
		},
		{
			name: "openai with usage",
			api:  client.OpenAI,
			body: "data: {\"choices\":[{\"text\":\" a\",\"index\":0,\"logprobs\":null,\"finish_reason\":null}],\"created\":1,\"model\":\"m\",\"object\":\"text_completion\",\"id\":\"cmpl-1\"}\n\n" +
				"data: {\"choices\":[{\"text\":\" b\",\"index\":0,\"logprobs\":null,\"finish_reason\":\"length\"}],\"created\":1,\"model\":\"m\",\"object\":\"text_completion\",\"usage\":{\"completion_tokens\":2,\"prompt_tokens\":1,\"total_tokens\":3},\"id\":\"cmpl-1\"}\n\n" +
				"data: [DONE]\n\n",
			want: transcript.Stream{Pieces: []string{" a", " b"}, Content: " a b", StopType: "length", Predicted: 2},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := engines.Dial(serve(t, func() string { return c.body }), c.api, "", time.Minute)
			got, err := e.Complete(context.Background(), suite.Request{Prompt: "x", Seed: 1, Params: params})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Fatalf("stream (-want +got):\n%s", diff)
			}
		})
	}
}

// serve answers both completion paths with body() as an event stream.
func serve(t testing.TB, body func() string) string {
	h := func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprint(w, body())
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /completion", h)
	mux.HandleFunc("POST /v1/completions", h)
	s := httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s.URL
}

// Any byte stream from an engine either fails with an error naming the URL
// or yields a complete stream whose pieces add up to its content.
func FuzzLlamaCppStream(f *testing.F) {
	fuzzStream(f, client.LlamaCpp,
		string(fakellama.Partial(" the", 1, 1))+string(fakellama.Final("p", 1, 1)),
		"data: {\"content\":\"a\",\"stop\":false}\n\ndata: {\"content\":\"\",\"stop\":true,\"stop_type\":\"eos\"}\n\n",
		"data: {\"content\":\"a\",\"stop\":false}\r\ndata: x\r\n\r\n",
		"data: {\"content\":\"\",\"tokens\":[1,2],\"stop\":true}\n\n",
	)
}

func FuzzOpenAIStream(f *testing.F) {
	fuzzStream(f, client.OpenAI,
		"data: {\"choices\":[{\"text\":\"a\",\"finish_reason\":null}]}\n\ndata: {\"choices\":[{\"text\":\"\",\"finish_reason\":\"length\"}]}\n\ndata: [DONE]\n\n",
		"data: [DONE]\n\n",
		"data: {\"choices\":[]}\n\n",
	)
}

func fuzzStream(f *testing.F, api client.API, seeds ...string) {
	for _, s := range seeds {
		f.Add(s)
	}
	var body atomic.Pointer[string]
	url := serve(f, func() string { return *body.Load() })
	e := engines.Dial(url, api, "", 10*time.Second)
	f.Fuzz(func(t *testing.T, in string) {
		body.Store(&in)
		s, err := e.Complete(context.Background(), suite.Request{Prompt: "x", Seed: 1, Params: params})
		if err != nil {
			if !strings.Contains(err.Error(), url) {
				t.Fatalf("error does not name the URL: %v", err)
			}
			return
		}
		if strings.Join(s.Pieces, "") != s.Content {
			t.Fatalf("pieces %q do not add up to content %q", s.Pieces, s.Content)
		}
		if api == client.OpenAI && s.Tokens != nil {
			t.Fatalf("openai stream with token ids %v", s.Tokens)
		}
		if api == client.OpenAI && s.StopType == "" {
			t.Fatalf("openai stream accepted without finish_reason: %q", in)
		}
	})
}

// An event without ids and without text (llama.cpp sends one while a
// stop word may be forming) is kept out of the layout; one with text but
// no id cannot be placed, so the stream is kept as received.
func TestWireEventsWithoutIDs(t *testing.T) {
	body := "data: {\"content\":\"a\",\"tokens\":[1],\"stop\":false,\"tokens_predicted\":1}\n\n" +
		"data: {\"content\":\"\",\"tokens\":[],\"stop\":false,\"tokens_predicted\":2}\n\n" +
		"data: {\"content\":\"\",\"tokens\":[],\"stop\":true,\"tokens_predicted\":2,\"stop_type\":\"limit\"}\n\n"
	e := engines.Dial(serve(t, func() string { return body }), client.LlamaCpp, "", time.Minute)
	got, err := e.Complete(context.Background(), suite.Request{Prompt: "x", Seed: 1, Params: params})
	if err != nil {
		t.Fatal(err)
	}
	// The second token's id never came and the second request fails (the
	// test server answers it with the stream again): incomplete.
	if !slices.Equal(got.Tokens, []int{1, -1}) || got.Missing() != 1 || !strings.Contains(got.Incomplete, "second, non-streamed request failed") {
		t.Fatalf("stream %+v", got)
	}
	body = "data: {\"content\":\"a\",\"tokens\":[],\"stop\":false,\"tokens_predicted\":1}\n\n" +
		"data: {\"content\":\"\",\"tokens\":[],\"stop\":true,\"tokens_predicted\":1,\"stop_type\":\"limit\"}\n\n"
	got, err = e.Complete(context.Background(), suite.Request{Prompt: "x", Seed: 1, Params: params})
	if err != nil || got.Tokens != nil || !slices.Equal(got.Pieces, []string{"a"}) {
		t.Fatalf("unplaceable: %+v %v", got, err)
	}
}
