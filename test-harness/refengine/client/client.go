package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	neturl "net/url"
	"strings"
	"sync/atomic"
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
	base    string
	api     API
	token   string
	http    *http.Client
	conn    connMode
	retries atomic.Int64
}

// Option configures a Client.
type Option func(*Client)

// WithToken sends "Authorization: Bearer token" on every request.
func WithToken(token string) Option { return func(c *Client) { c.token = token } }

// WithHTTPClient uses hc instead of a client of its own.
func WithHTTPClient(hc *http.Client) Option { return func(c *Client) { c.http = hc } }

// New returns a client for the engine at baseURL (e.g.
// "http://127.0.0.1:8080").
func New(baseURL string, api API, opts ...Option) *Client {
	c := &Client{base: strings.TrimRight(baseURL, "/"), api: api, http: &http.Client{}}
	for _, o := range opts {
		o(c)
	}
	return c
}

// Request is one completion. Seed -1 asks the engine for a random seed
// (llama.cpp's convention); the seed used is reported in Result.Settings
// (llama.cpp API only). Any other seed must lie in the API's SeedRange.
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
	// Tokens are the token ids received, in order (llama.cpp API only; nil
	// for OpenAI, whose chunks carry no ids). A streamed llama.cpp
	// response withholds the id of a token whose text ends in an
	// incomplete UTF-8 sequence, so Tokens can be shorter than Predicted.
	Tokens []int
	// At is the token index (from 0) of each id in Tokens, from the
	// events' tokens_predicted; nil when the engine does not report it.
	At []int
	// PieceAt is, for each of Pieces, the token index of its event's last
	// id, or -1 for an event without ids; nil when At is.
	PieceAt []int
	// Predicted is how many tokens the engine says it generated: the
	// final event's tokens_predicted, or OpenAI's usage.completion_tokens;
	// -1 when the engine does not say.
	Predicted int
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

// SeedRange is the largest seed the API accepts as a fixed seed (the
// smallest is 0). llama.cpp keeps 32 bits of a seed and reads 4294967295
// as "random", so both APIs, as llama.cpp serves them, stop one below.
func (a API) SeedRange() uint64 { return math.MaxUint32 - 1 }

// CheckSeed refuses a seed the API cannot carry as a fixed seed.
func (a API) CheckSeed(seed uint64) error {
	if seed > a.SeedRange() {
		return fmt.Errorf("seed %d is outside the %s API's range [0, %d]: llama.cpp keeps 32 bits of a seed and reads %d as random", seed, a, a.SeedRange(), uint64(math.MaxUint32))
	}
	return nil
}

// Body is the JSON request Complete (stream true) or Whole (stream
// false) sends for req.
func (c *Client) Body(req Request, stream bool) map[string]any {
	body := map[string]any{
		"prompt": req.Prompt, "n_predict": req.NPredict, "seed": req.Seed,
		"temperature": req.Temperature, "top_k": req.TopK, "top_p": req.TopP,
		"min_p": req.MinP, "stream": stream, "cache_prompt": false,
	}
	if c.api == OpenAI {
		delete(body, "n_predict")
		body["max_tokens"] = req.NPredict
	} else if !stream {
		body["return_tokens"] = true
	}
	return body
}

func (c *Client) path() string {
	if c.api == OpenAI {
		return "/v1/completions"
	}
	return "/completion"
}

func (c *Client) check(req Request) error {
	if req.Seed == -1 {
		return nil
	}
	if req.Seed < 0 {
		return fmt.Errorf("seed %d: want -1 (random) or a seed in [0, %d]", req.Seed, c.api.SeedRange())
	}
	return c.api.CheckSeed(uint64(req.Seed))
}

// Complete runs req as a stream and collects it.
func (c *Client) Complete(ctx context.Context, req Request) (*Result, error) {
	url := c.base + c.path()
	if err := c.check(req); err != nil {
		return nil, fmt.Errorf("POST %s: not sent: %w", url, err)
	}
	resp, err := c.do(ctx, http.MethodPost, url, c.Body(req, true))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	p := &parser{api: c.api, url: url, res: &Result{Predicted: -1}}
	if err := readFields(resp.Body, p.event); err != nil {
		return nil, fmt.Errorf("POST %s: %w", url, err)
	}
	if !p.done {
		return nil, fmt.Errorf("POST %s: stream ended after %d events without its final event", url, p.n)
	}
	p.res.Content = strings.Join(p.res.Pieces, "")
	return p.res, nil
}

// Whole runs req without streaming (llama.cpp API only) and asks for
// every token id ("return_tokens": true): the non-streamed answer has the
// ids and the text a stream can withhold. Pieces and At are nil.
func (c *Client) Whole(ctx context.Context, req Request) (*Result, error) {
	url := c.base + c.path()
	if c.api != LlamaCpp {
		return nil, fmt.Errorf("POST %s: the %s API returns no token ids", url, c.api)
	}
	if err := c.check(req); err != nil {
		return nil, fmt.Errorf("POST %s: not sent: %w", url, err)
	}
	resp, err := c.do(ctx, http.MethodPost, url, c.Body(req, false))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var w struct {
		Content            *string        `json:"content"`
		Tokens             []int          `json:"tokens"`
		TokensPredicted    *int           `json:"tokens_predicted"`
		StopType           string         `json:"stop_type"`
		GenerationSettings map[string]any `json:"generation_settings"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, MaxLine)).Decode(&w); err != nil {
		return nil, fmt.Errorf("POST %s: malformed JSON: %w", url, err)
	}
	if w.Content == nil || w.TokensPredicted == nil {
		return nil, fmt.Errorf("POST %s: answer lacks \"content\" or \"tokens_predicted\"", url)
	}
	if len(w.Tokens) != *w.TokensPredicted {
		return nil, fmt.Errorf("POST %s: %d token ids for tokens_predicted %d (does the engine know \"return_tokens\"?)", url, len(w.Tokens), *w.TokensPredicted)
	}
	return &Result{Tokens: w.Tokens, Predicted: *w.TokensPredicted, Content: *w.Content, StopType: w.StopType, Settings: w.GenerationSettings}, nil
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
	drain(resp.Body)
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
	resp, err := c.send(hr, body != nil && isStream(body))
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, url, Bare(err))
	}
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
		drain(resp.Body)
		return nil, fmt.Errorf("%s %s: HTTP %d: %s", method, url, resp.StatusCode, bytes.TrimSpace(b))
	}
	return resp, nil
}

func isStream(body any) bool {
	m, ok := body.(map[string]any)
	return ok && m["stream"] == true
}

// Bare strips net/http's *url.Error wrapper (`Post "URL": ...`) so an
// error that already names the URL does not name it twice; errors.Is and
// errors.As still see the cause.
func Bare(err error) error {
	var ue *neturl.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
