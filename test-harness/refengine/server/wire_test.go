package server_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"orchcore.dev/test-harness/refengine/server"
)

// llama.cpp's streamed /completion event keys, in its order.
var (
	llamaPartialKeys = []string{"index", "content", "tokens", "stop", "id_slot", "tokens_predicted", "tokens_evaluated"}
	llamaFinalKeys   = []string{"index", "content", "tokens", "id_slot", "stop", "model", "tokens_predicted", "tokens_evaluated", "generation_settings", "prompt", "has_new_line", "truncated", "stop_type", "stopping_word", "tokens_cached", "timings"}
	timingKeys       = []string{"cache_n", "prompt_n", "prompt_ms", "prompt_per_token_ms", "prompt_per_second", "predicted_n", "predicted_ms", "predicted_per_token_ms", "predicted_per_second"}
	oaiChunkKeys     = []string{"choices", "created", "model", "system_fingerprint", "object", "id"}
	oaiFinalKeys     = []string{"choices", "created", "model", "system_fingerprint", "object", "usage", "id"}
	oaiChoiceKeys    = []string{"text", "index", "logprobs", "finish_reason"}
)

func TestLlamaStreamShape(t *testing.T) {
	_, url := start(t, server.Options{})
	resp := post(t, url+"/completion", `{"prompt":"The tide","n_predict":3,"seed":11,"temperature":0.8,"top_k":40,"top_p":0.95,"min_p":0.05,"stream":true,"cache_prompt":true}`)
	defer resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("status %d, content type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	events := sseData(t, readAll(t, resp.Body))
	if len(events) != 4 {
		t.Fatalf("got %d events, want 3 tokens + final", len(events))
	}
	var content strings.Builder
	for i, ev := range events[:3] {
		if got := keys(t, ev); !slices.Equal(got, llamaPartialKeys) {
			t.Errorf("event %d keys %v, want %v", i, got, llamaPartialKeys)
		}
		var e struct {
			Content         string
			Tokens          []int
			Stop            bool
			TokensPredicted int `json:"tokens_predicted"`
			TokensEvaluated int `json:"tokens_evaluated"`
		}
		if err := json.Unmarshal([]byte(ev), &e); err != nil {
			t.Fatal(err)
		}
		if e.Stop || len(e.Content) != 1 || len(e.Tokens) != 1 || e.TokensPredicted != i+1 || e.TokensEvaluated != len("The tide") {
			t.Errorf("event %d = %s", i, ev)
		}
		content.WriteString(e.Content)
	}
	final := events[3]
	if got := keys(t, final); !slices.Equal(got, llamaFinalKeys) {
		t.Errorf("final keys %v, want %v", got, llamaFinalKeys)
	}
	var f struct {
		Content            string
		Tokens             []int
		Stop               bool
		StopType           string `json:"stop_type"`
		Prompt             string
		TokensPredicted    int `json:"tokens_predicted"`
		GenerationSettings map[string]any
		Timings            json.RawMessage
	}
	f.GenerationSettings = map[string]any{}
	if err := json.Unmarshal([]byte(final), &f); err != nil {
		t.Fatal(err)
	}
	var gs map[string]any
	json.Unmarshal([]byte(final), &struct {
		G *map[string]any `json:"generation_settings"`
	}{&gs})
	if !f.Stop || f.StopType != "limit" || f.Content != "" || len(f.Tokens) != 0 || f.Prompt != "The tide" || f.TokensPredicted != 3 {
		t.Errorf("final event = %s", final)
	}
	if got := keys(t, string(f.Timings)); !slices.Equal(got, timingKeys) {
		t.Errorf("timings keys %v, want %v", got, timingKeys)
	}
	want := map[string]any{
		"seed": 11.0, "temperature": 0.8, "top_k": 40.0, "top_p": 0.95, "min_p": 0.05,
		"n_predict": 3.0, "stream": true, "cache_prompt": true,
		"engine_version": "refengine-0.1.0", "sampler_profile_version": "refengine-sampler/1",
		"model_digest": server.ModelDigest(),
	}
	for k, v := range want {
		if gs[k] != v {
			t.Errorf("generation_settings[%q] = %v, want %v", k, gs[k], v)
		}
	}
	if content.Len() != 3 {
		t.Errorf("content %q", content.String())
	}
}

func TestLlamaNonStreamedMatchesStream(t *testing.T) {
	_, url := start(t, server.Options{})
	body := `{"prompt":"Snow fell","n_predict":20,"seed":3}`
	resp := post(t, url+"/completion", body)
	defer resp.Body.Close()
	whole := readAll(t, resp.Body)
	if got := keys(t, string(whole)); !slices.Equal(got, llamaFinalKeys) {
		t.Errorf("keys %v, want %v", got, llamaFinalKeys)
	}
	var w struct {
		Content string
		Tokens  []int
	}
	json.Unmarshal(whole, &w)

	resp = post(t, url+"/completion", strings.Replace(body, "}", `,"stream":true}`, 1))
	defer resp.Body.Close()
	var streamed strings.Builder
	var toks []int
	for _, ev := range sseData(t, readAll(t, resp.Body)) {
		var e struct {
			Content string
			Tokens  []int
		}
		json.Unmarshal([]byte(ev), &e)
		streamed.WriteString(e.Content)
		toks = append(toks, e.Tokens...)
	}
	if len(w.Content) != 20 || w.Content != streamed.String() || !slices.Equal(w.Tokens, toks) {
		t.Errorf("non-streamed %q %v, streamed %q %v", w.Content, w.Tokens, streamed.String(), toks)
	}
}

func TestOpenAIStreamShape(t *testing.T) {
	_, url := start(t, server.Options{})
	resp := post(t, url+"/v1/completions", `{"model":"x","prompt":"The tide","max_tokens":4,"seed":11,"temperature":0.8,"top_p":0.95,"stream":true}`)
	defer resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("status %d, content type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	events := sseData(t, readAll(t, resp.Body))
	if len(events) != 6 || events[5] != "[DONE]" {
		t.Fatalf("events %q, want 4 chunks, a final chunk and [DONE]", events)
	}
	ids := map[string]bool{}
	for i, ev := range events[:5] {
		wantKeys := oaiChunkKeys
		if i == 4 {
			wantKeys = oaiFinalKeys
		}
		if got := keys(t, ev); !slices.Equal(got, wantKeys) {
			t.Errorf("chunk %d keys %v, want %v", i, got, wantKeys)
		}
		var c struct {
			Choices []json.RawMessage
			Object  string
			ID      string
			Usage   *struct {
				CompletionTokens int `json:"completion_tokens"`
				PromptTokens     int `json:"prompt_tokens"`
				TotalTokens      int `json:"total_tokens"`
			}
		}
		if err := json.Unmarshal([]byte(ev), &c); err != nil {
			t.Fatal(err)
		}
		ids[c.ID] = true
		if len(c.Choices) != 1 || c.Object != "text_completion" || !strings.HasPrefix(c.ID, "cmpl-") {
			t.Fatalf("chunk %d = %s", i, ev)
		}
		if got := keys(t, string(c.Choices[0])); !slices.Equal(got, oaiChoiceKeys) {
			t.Errorf("choice %d keys %v, want %v", i, got, oaiChoiceKeys)
		}
		var ch struct {
			Text         string
			FinishReason *string `json:"finish_reason"`
		}
		json.Unmarshal(c.Choices[0], &ch)
		if i < 4 && (len(ch.Text) != 1 || ch.FinishReason != nil) {
			t.Errorf("chunk %d choice = %s", i, c.Choices[0])
		}
		if i == 4 && (ch.Text != "" || ch.FinishReason == nil || *ch.FinishReason != "length" ||
			c.Usage == nil || c.Usage.CompletionTokens != 4 || c.Usage.PromptTokens != 8 || c.Usage.TotalTokens != 12) {
			t.Errorf("final chunk = %s", ev)
		}
	}
	if len(ids) != 1 {
		t.Errorf("chunks carry %d different ids, want one", len(ids))
	}
}

func TestCompletionsAliasAndDialectsAgree(t *testing.T) {
	_, url := start(t, server.Options{})
	texts := map[string]string{}
	for _, ep := range []string{"/completion", "/completions", "/v1/completions"} {
		resp := post(t, url+ep, `{"prompt":"Rivers","n_predict":12,"max_tokens":12,"seed":5,"temperature":0.7,"top_k":20,"top_p":0.9,"min_p":0.02}`)
		var b struct {
			Content string
			Choices []struct{ Text string }
		}
		json.Unmarshal(readAll(t, resp.Body), &b)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("%s: status %d", ep, resp.StatusCode)
		}
		texts[ep] = b.Content
		if len(b.Choices) == 1 {
			texts[ep] = b.Choices[0].Text
		}
	}
	if texts["/completion"] == "" || texts["/completion"] != texts["/completions"] || texts["/completion"] != texts["/v1/completions"] {
		t.Errorf("same settings, different text per endpoint: %q", texts)
	}
}

func TestBadRequestsNameTheField(t *testing.T) {
	_, url := start(t, server.Options{})
	cases := []struct{ path, body, field string }{
		{"/completion", `not json`, "body"},
		{"/completion", `{}`, "prompt"},
		{"/completion", `{"prompt":5}`, "prompt"},
		{"/completion", "{\"prompt\":\"caf\u00e9\"}", "prompt"},
		{"/completion", `{"prompt":"a","n_predict":"ten"}`, "n_predict"},
		{"/completion", `{"prompt":"a","n_predict":-2}`, "n_predict"},
		{"/completion", `{"prompt":"a","seed":-5}`, "seed"},
		{"/completion", `{"prompt":"a","seed":1.5}`, "seed"},
		{"/completion", `{"prompt":"a","temperature":-0.1}`, "temperature"},
		{"/completion", `{"prompt":"a","top_k":-1}`, "top_k"},
		{"/completion", `{"prompt":"a","top_p":1.5}`, "top_p"},
		{"/completion", `{"prompt":"a","min_p":"x"}`, "min_p"},
		{"/completion", `{"prompt":"a","stream":"yes"}`, "stream"},
		{"/completion", `{"prompt":"a","cache_prompt":1}`, "cache_prompt"},
		{"/v1/completions", `{"prompt":"a","max_tokens":2.5}`, "max_tokens"},
		{"/v1/completions", `{"prompt":"a","model":7}`, "model"},
	}
	for _, c := range cases {
		resp := post(t, url+c.path, c.body)
		var e struct {
			Error struct {
				Code    int
				Message string
				Type    string
				Field   string
			}
		}
		json.Unmarshal(readAll(t, resp.Body), &e)
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest || e.Error.Code != 400 || e.Error.Field != c.field ||
			e.Error.Type != "invalid_request_error" || (c.field != "body" && !strings.Contains(e.Error.Message, `"`+c.field+`"`)) {
			t.Errorf("%s %s: status %d, error %+v; want 400 naming %q", c.path, c.body, resp.StatusCode, e.Error, c.field)
		}
	}
}

func TestWrongMethodIsRefused(t *testing.T) {
	_, url := start(t, server.Options{})
	resp, err := http.Get(url + "/completion")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET /completion: status %d, want 405", resp.StatusCode)
	}
}

func TestPropsAndHealth(t *testing.T) {
	t.Attr("req", "OC-TEST-7002")
	_, url := start(t, server.Options{Parallel: 3, ContBatching: true, BatchInvariant: true, EngineVersion: "refengine-next"})
	resp, err := http.Get(url + "/props")
	if err != nil {
		t.Fatal(err)
	}
	var p struct {
		EngineVersion         string `json:"engine_version"`
		SamplerProfileVersion string `json:"sampler_profile_version"`
		ModelDigest           string `json:"model_digest"`
		TotalSlots            int    `json:"total_slots"`
		Slots                 struct {
			Parallel       int  `json:"parallel"`
			ContBatching   bool `json:"cont_batching"`
			BatchInvariant bool `json:"batch_invariant"`
			Deterministic  bool `json:"deterministic"`
		}
		Default struct {
			Params map[string]any `json:"params"`
		} `json:"default_generation_settings"`
	}
	json.Unmarshal(readAll(t, resp.Body), &p)
	resp.Body.Close()
	if p.EngineVersion != "refengine-next" || p.SamplerProfileVersion != "refengine-sampler/1" ||
		p.ModelDigest != server.ModelDigest() || len(p.ModelDigest) != 64 || p.TotalSlots != 3 ||
		p.Slots.Parallel != 3 || !p.Slots.ContBatching || !p.Slots.BatchInvariant || !p.Slots.Deterministic {
		t.Errorf("props = %+v", p)
	}
	if p.Default.Params["seed"] != -1.0 || p.Default.Params["temperature"] != 0.8 || p.Default.Params["n_predict"] != -1.0 {
		t.Errorf("default params = %v", p.Default.Params)
	}
	resp, err = http.Get(url + "/health")
	if err != nil {
		t.Fatal(err)
	}
	if b := readAll(t, resp.Body); resp.StatusCode != 200 || string(b) != "{\"status\":\"ok\"}\n" {
		t.Errorf("health: %d %q", resp.StatusCode, b)
	}
	resp.Body.Close()
}

// The engine priority a dispatcher passes (OC-CORE-1058) is accepted and
// recorded in the generation settings; a non-integer is refused naming
// the field.
func TestPriorityRecorded(t *testing.T) {
	t.Attr("req", "OC-CORE-1058")
	_, url := start(t, server.Options{})
	for _, c := range []struct {
		body string
		want float64
	}{
		{`{"prompt":"a","n_predict":1,"seed":1,"priority":2}`, 2},
		{`{"prompt":"a","n_predict":1,"seed":1,"priority":-3}`, -3},
		{`{"prompt":"a","n_predict":1,"seed":1}`, 0},
	} {
		resp := post(t, url+"/completion", c.body)
		var got struct {
			G map[string]any `json:"generation_settings"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got.G["priority"] != c.want {
			t.Errorf("%s: generation_settings.priority = %v, want %v", c.body, got.G["priority"], c.want)
		}
	}
	resp := post(t, url+"/completion", `{"prompt":"a","priority":"high"}`)
	defer resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Fatalf("priority \"high\": status %d, want 400", resp.StatusCode)
	}
}
