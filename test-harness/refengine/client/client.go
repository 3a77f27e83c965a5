package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// API selects the wire format.
type API int

const (
	// LlamaCpp is POST /completion with llama.cpp's streamed events.
	LlamaCpp API = iota
	// OpenAI is POST /v1/completions with OpenAI's streamed chunks.
	OpenAI
)

// String returns the name ParseAPI accepts.
func (a API) String() string {
	switch a {
	case LlamaCpp:
		return "llamacpp"
	case OpenAI:
		return "openai"
	}
	return fmt.Sprintf("API(%d)", int(a))
}

// ParseAPI maps "llamacpp" or "openai" to an API.
func ParseAPI(s string) (API, error) {
	switch s {
	case "llamacpp":
		return LlamaCpp, nil
	case "openai":
		return OpenAI, nil
	}
	return 0, fmt.Errorf("client: unknown API %q (want llamacpp or openai)", s)
}

// Client calls one engine.
type Client struct {
	base  string
	api   API
	token string
	http  *http.Client
}

// Option configures a Client.
type Option func(*Client)

// WithToken sends "Authorization: Bearer token" on every request.
func WithToken(token string) Option { return func(c *Client) { c.token = token } }

// WithHTTPClient uses hc instead of http.DefaultClient.
func WithHTTPClient(hc *http.Client) Option { return func(c *Client) { c.http = hc } }

// New returns a client for the engine at baseURL (e.g.
// "http://127.0.0.1:8080").
func New(baseURL string, api API, opts ...Option) *Client {
	c := &Client{base: strings.TrimRight(baseURL, "/"), api: api, http: http.DefaultClient}
	for _, o := range opts {
		o(c)
	}
	return c
}

// Request is one completion. Seed -1 asks the engine for a random seed
// (llama.cpp's convention); the seed used is reported in Result.Settings
// (llama.cpp API only).
type Request struct {
	Prompt      string
	NPredict    int
	Seed        int64
	Temperature float64
	TopK        int
	TopP        float64
	MinP        float64
}

// Result is a finished stream.
type Result struct {
	// Tokens are the token ids, in order (llama.cpp API only; nil for
	// OpenAI, whose chunks carry no ids).
	Tokens []int
	// Pieces is the content of each token event, in order.
	Pieces []string
	// Content is Pieces joined.
	Content string
	// StopType is llama.cpp's stop_type ("limit", "eos", "word") or
	// OpenAI's finish_reason ("length", "stop").
	StopType string
	// Settings is llama.cpp's generation_settings; for OpenAI it holds
	// "model" and "system_fingerprint".
	Settings map[string]any
	// Raw holds every SSE data payload verbatim, including the final one
	// (and "[DONE]").
	Raw [][]byte
}

// Complete runs req as a stream and collects it.
func (c *Client) Complete(ctx context.Context, req Request) (*Result, error) {
	path, body := "/completion", map[string]any{
		"prompt": req.Prompt, "n_predict": req.NPredict, "seed": req.Seed,
		"temperature": req.Temperature, "top_k": req.TopK, "top_p": req.TopP,
		"min_p": req.MinP, "stream": true, "cache_prompt": false,
	}
	if c.api == OpenAI {
		path = "/v1/completions"
		delete(body, "n_predict")
		delete(body, "cache_prompt")
		body["max_tokens"] = req.NPredict
	}
	url := c.base + path
	resp, err := c.do(ctx, http.MethodPost, url, body)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	p := &parser{api: c.api, url: url, res: &Result{}}
	if err := ReadEvents(resp.Body, p.event); err != nil {
		return nil, fmt.Errorf("POST %s: %w", url, err)
	}
	if !p.done {
		return nil, fmt.Errorf("POST %s: stream ended after %d events without its final event", url, p.n)
	}
	p.res.Content = strings.Join(p.res.Pieces, "")
	return p.res, nil
}

// Props returns GET /props.
func (c *Client) Props(ctx context.Context) (map[string]any, error) {
	url := c.base + "/props"
	resp, err := c.do(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var props map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&props); err != nil {
		return nil, fmt.Errorf("GET %s: malformed JSON: %w", url, err)
	}
	return props, nil
}

// Health returns nil when GET /health answers 200.
func (c *Client) Health(ctx context.Context) error {
	resp, err := c.do(ctx, http.MethodGet, c.base+"/health", nil)
	if err != nil {
		return err
	}
	resp.Body.Close()
	return nil
}

// do sends a request and turns any non-200 answer into an error naming the
// URL, the status and the body.
func (c *Client) do(ctx context.Context, method, url string, body any) (*http.Response, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, fmt.Errorf("%s %s: encoding request: %w", method, url, err)
		}
		rd = bytes.NewReader(b)
	}
	hr, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, url, err)
	}
	if body != nil {
		hr.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		hr.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.http.Do(hr)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, url, err)
	}
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		resp.Body.Close()
		return nil, fmt.Errorf("%s %s: HTTP %d: %s", method, url, resp.StatusCode, bytes.TrimSpace(b))
	}
	return resp, nil
}
