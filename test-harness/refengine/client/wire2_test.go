package client_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"orchcore.dev/test-harness/refengine/client"
	"orchcore.dev/test-harness/refengine/server"
)

// llama.cpp withholds the id of a token whose text ends in an incomplete
// UTF-8 sequence; tokens_predicted on each event places the ids it does
// send, and the final event's says how many were generated.
func TestWithheldIDsArePlaced(t *testing.T) {
	res, err := complete(client.LlamaCpp,
		"data: {\"content\":\"a\",\"tokens\":[10],\"stop\":false,\"tokens_predicted\":1}\n\n"+
			"data: {\"content\":\"\u00e9\",\"tokens\":[12],\"stop\":false,\"tokens_predicted\":3}\n\n"+
			"data: {\"content\":\"\",\"tokens\":[],\"stop\":true,\"stop_type\":\"limit\",\"tokens_predicted\":5}\n\n")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.Tokens, []int{10, 12}) || !slices.Equal(res.At, []int{0, 2}) || !slices.Equal(res.PieceAt, []int{0, 2}) || res.Predicted != 5 {
		t.Errorf("tokens %v at %v predicted %d; want [10 12] at [0 2], 5", res.Tokens, res.At, res.Predicted)
	}
	// Going backwards is a protocol error.
	_, err = complete(client.LlamaCpp,
		"data: {\"content\":\"a\",\"tokens\":[10],\"stop\":false,\"tokens_predicted\":2}\n\n"+
			"data: {\"content\":\"b\",\"tokens\":[11],\"stop\":false,\"tokens_predicted\":2}\n\n")
	if err == nil || !strings.Contains(err.Error(), "event 2: tokens_predicted 2") {
		t.Errorf("repeated tokens_predicted: %v", err)
	}
	// Without tokens_predicted nothing is placed and the count is unknown.
	res, err = complete(client.LlamaCpp, "data: {\"content\":\"a\",\"tokens\":[1],\"stop\":false}\n\ndata: {\"content\":\"\",\"stop\":true}\n\n")
	if err != nil || res.At != nil || res.Predicted != -1 {
		t.Errorf("no counts: at %v predicted %d err %v", res.At, res.Predicted, err)
	}
	res, err = complete(client.OpenAI, "data: {\"choices\":[{\"text\":\"a\",\"finish_reason\":null}]}\n\n"+
		"data: {\"choices\":[{\"text\":\"\",\"finish_reason\":\"length\"}],\"usage\":{\"completion_tokens\":3,\"prompt_tokens\":2}}\n\ndata: [DONE]\n\n")
	if err != nil || res.Predicted != 3 {
		t.Errorf("OpenAI usage: predicted %d err %v", res.Predicted, err)
	}
}

// An "error:" line after the stream began (HTTP 200) is an error with
// the engine's message, not a stream that merely ended early.
func TestMidStreamErrorLine(t *testing.T) {
	for _, api := range []client.API{client.LlamaCpp, client.OpenAI} {
		body := "data: {\"content\":\"a\",\"tokens\":[1],\"stop\":false,\"tokens_predicted\":1}\n\n"
		if api == client.OpenAI {
			body = "data: {\"choices\":[{\"text\":\"a\",\"finish_reason\":null}]}\n\n"
		}
		body += "error: {\"code\":400,\"message\":\"the request exceeds the available context size, try increasing the context size or enable context shift\",\"type\":\"invalid_request_error\"}\n\n"
		if api == client.OpenAI {
			body += "data: [DONE]\n\n"
		}
		_, err := complete(api, body)
		if err == nil || !strings.Contains(err.Error(), "exceeds the available context size") || !strings.Contains(err.Error(), "after 1 events") {
			t.Errorf("%s: error %v, want the engine's message", api, err)
		}
	}
	_, err := complete(client.LlamaCpp, "error: not json")
	if err == nil || !strings.Contains(err.Error(), "engine error after 0 events") {
		t.Errorf("unterminated error line: %v", err)
	}
}

// recorder answers with a canned stream and keeps the request bodies.
type recorder struct {
	canned
	bodies []map[string]any
}

func (r *recorder) RoundTrip(hr *http.Request) (*http.Response, error) {
	var m map[string]any
	b, _ := io.ReadAll(hr.Body)
	json.Unmarshal(b, &m)
	r.bodies = append(r.bodies, m)
	return r.canned.RoundTrip(hr)
}

// Seeds outside the API's range are refused before anything is sent;
// 4294967295 would mean "random" to llama.cpp.
func TestSeedRange(t *testing.T) {
	rec := &recorder{canned: "data: {\"content\":\"\",\"stop\":true}\n\n"}
	c := client.New("http://engine.test", client.LlamaCpp, client.WithHTTPClient(&http.Client{Transport: rec}))
	for _, s := range []int64{4294967295, 1 << 32, -2} {
		r := req
		r.Seed = s
		if _, err := c.Complete(context.Background(), r); err == nil || !strings.Contains(err.Error(), "not sent") {
			t.Errorf("seed %d: %v", s, err)
		}
	}
	if len(rec.bodies) != 0 {
		t.Fatalf("%d requests sent for refused seeds", len(rec.bodies))
	}
	for _, s := range []int64{-1, 0, 4294967294} {
		r := req
		r.Seed = s
		if _, err := c.Complete(context.Background(), r); err != nil {
			t.Errorf("seed %d refused: %v", s, err)
		}
	}
	if client.LlamaCpp.SeedRange() != 4294967294 || client.OpenAI.CheckSeed(4294967295) == nil {
		t.Error("seed range is not llama.cpp's")
	}
}

// Both APIs ask for no prompt cache: llama.cpp b4748 defaults
// cache_prompt to true.
func TestCachePromptOffOnBothAPIs(t *testing.T) {
	for _, api := range []client.API{client.LlamaCpp, client.OpenAI} {
		rec := &recorder{canned: "data: {\"content\":\"\",\"stop\":true}\n\n"}
		if api == client.OpenAI {
			rec.canned = "data: {\"choices\":[{\"text\":\"\",\"finish_reason\":\"length\"}]}\n\ndata: [DONE]\n\n"
		}
		c := client.New("http://engine.test", api, client.WithHTTPClient(&http.Client{Transport: rec}))
		if _, err := c.Complete(context.Background(), req); err != nil {
			t.Fatal(err)
		}
		if got := rec.bodies[0]["cache_prompt"]; got != false {
			t.Errorf("%s: cache_prompt %v, want false", api, got)
		}
	}
}

// Whole asks for every id without streaming; against the reference
// engine it agrees with the stream.
func TestWholeAgreesWithStream(t *testing.T) {
	url := startEngine(t, server.Options{})
	c := client.New(url, client.LlamaCpp)
	s, err := c.Complete(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	w, err := c.Whole(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(s.Tokens, w.Tokens) || w.Predicted != 10 || s.Predicted != 10 || w.Content != s.Content || w.StopType != "limit" {
		t.Errorf("stream %v %q, whole %v %q (predicted %d)", s.Tokens, s.Content, w.Tokens, w.Content, w.Predicted)
	}
	if _, err := client.New(url, client.OpenAI).Whole(context.Background(), req); err == nil {
		t.Error("Whole on the OpenAI API did not refuse")
	}
	rec := &recorder{canned: `{"content":"ab","tokens":[1],"tokens_predicted":2,"stop":true}`}
	_, err = client.New("http://engine.test", client.LlamaCpp, client.WithHTTPClient(&http.Client{Transport: rec})).Whole(context.Background(), req)
	if err == nil || !strings.Contains(err.Error(), "1 token ids for tokens_predicted 2") || rec.bodies[0]["return_tokens"] != true || rec.bodies[0]["stream"] != false {
		t.Errorf("short ids: %v, body %v", err, rec.bodies[0])
	}
}
