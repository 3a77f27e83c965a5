package engines

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"orchcore.dev/test-harness/refengine/client"
	"orchcore.dev/test-harness/refengine/server"

	"orchcore.dev/test-harness/determinism-suite/suite"
	"orchcore.dev/test-harness/determinism-suite/transcript"
)

// Applied returns the settings Start gives every replica it starts.
func Applied() map[string]any {
	return map[string]any{"parallel": 1, "cont_batching": false, "batch_invariant": false}
}

// Engine is one replica the suite talks to.
type Engine struct {
	URL     string
	API     client.API
	token   string
	c       *client.Client
	srv     *server.Server // set when started by the suite
	timeout time.Duration

	mu           sync.Mutex
	fingerprint  string // OpenAI's system_fingerprint, first seen
	fingerprints int    // distinct fingerprints seen
}

var _ suite.Replica = (*Engine)(nil)

// Dial returns an engine already running at url. token, when set, is sent
// as a bearer token; timeout bounds each request.
func Dial(url string, api client.API, token string, timeout time.Duration) *Engine {
	return &Engine{URL: url, API: api, token: token, c: newClient(url, api, token), timeout: timeout}
}

// Start launches n reference-engine replicas with Applied settings.
func Start(n int, api client.API, timeout time.Duration) ([]*Engine, error) {
	var out []*Engine
	for i := range n {
		srv, err := server.New(server.Options{Parallel: 1, ContBatching: false, BatchInvariant: false})
		if err != nil {
			Close(out)
			return nil, fmt.Errorf("start replica %d: %w", i, err)
		}
		url, err := srv.Start("127.0.0.1:0")
		if err != nil {
			srv.Close()
			Close(out)
			return nil, fmt.Errorf("start replica %d: %w", i, err)
		}
		e := Dial(url, api, "", timeout)
		e.srv = srv
		out = append(out, e)
	}
	return out, nil
}

// Close stops the replicas the suite started; dialed engines are left alone.
func Close(es []*Engine) error {
	var errs []error
	for _, e := range es {
		if e.srv != nil {
			errs = append(errs, e.srv.Close())
		}
	}
	return errors.Join(errs...)
}

// Describe checks the engine answers and records its settings; it also
// returns the decoded /props (nil when there is none).
func (e *Engine) Describe(ctx context.Context) (transcript.Engine, map[string]any, error) {
	d := transcript.Engine{URL: e.URL, API: e.API.String(), StartedBySuite: e.srv != nil}
	if e.srv != nil {
		d.Applied = Applied()
	}
	hctx, cancel := context.WithTimeout(ctx, e.timeout)
	defer cancel()
	if err := e.health(hctx); err != nil {
		return d, nil, fmt.Errorf("health: %w", err)
	}
	raw, props, err := e.props(hctx)
	if err != nil {
		d.PropsError = err.Error()
		return d, nil, nil
	}
	d.Props = raw
	d.Version, d.Model = Identity(props)
	return d, props, nil
}

// Identity maps what /props says to an engine version and a model:
// engine_version or llama.cpp's build_info; model_digest, else
// model_path (with the digest after it when both are reported).
func Identity(props map[string]any) (version, model string) {
	version = lookup(props, "engine_version")
	if version == "" {
		version = top(props, "build_info")
	}
	digest, path := lookup(props, "model_digest"), top(props, "model_path")
	switch {
	case path != "" && digest != "":
		model = path + " (" + digest + ")"
	case digest != "":
		model = digest
	default:
		model = path
	}
	return version, model
}

func top(props map[string]any, key string) string {
	v, _ := props[key].(string)
	return v
}

// noteFingerprint keeps the system_fingerprint of OpenAI responses.
func (e *Engine) noteFingerprint(settings map[string]any) {
	fp, _ := settings["system_fingerprint"].(string)
	if fp == "" {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.fingerprint == "" {
		e.fingerprint, e.fingerprints = fp, 1
	} else if fp != e.fingerprint {
		e.fingerprints++
	}
}

// Fingerprint is the system_fingerprint of the engine's OpenAI
// responses ("" when none) and whether it changed during the run.
func (e *Engine) Fingerprint() (string, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.fingerprint, e.fingerprints > 1
}

// Complete asks the engine for one streamed completion. When the stream
// withheld token ids (llama.cpp does for text ending in incomplete UTF-8)
// it asks again without streaming for every id; see resolve.
func (e *Engine) Complete(parent context.Context, r suite.Request) (transcript.Stream, error) {
	if err := e.API.CheckSeed(r.Seed); err != nil {
		return transcript.Stream{}, err
	}
	ctx, cancel := context.WithTimeout(parent, e.timeout)
	defer cancel()
	req := request(r)
	res, err := e.c.Complete(ctx, req)
	if err != nil {
		return transcript.Stream{}, err
	}
	s, placed := lay(res)
	e.resolve(ctx, &s, placed, req)
	if err := parent.Err(); err != nil {
		// Stopped while resolving: a stream cut short by the stop is no
		// result (it would compare as if the engine had sent less).
		return transcript.Stream{}, context.Cause(parent)
	}
	e.noteFingerprint(res.Settings)
	return s, nil
}

func request(r suite.Request) client.Request {
	return client.Request{
		Prompt:      r.Prompt,
		NPredict:    r.Params.NPredict,
		Seed:        int64(r.Seed),
		Temperature: r.Params.Temperature,
		TopK:        r.Params.TopK,
		TopP:        r.Params.TopP,
		MinP:        r.Params.MinP,
	}
}

// Sent is the request body every completion carries, less the prompt and
// the seed.
func (e *Engine) Sent(p transcript.Params) map[string]any {
	b := e.c.Body(request(suite.Request{Params: p}), true)
	delete(b, "prompt")
	delete(b, "seed")
	return b
}

// health checks GET /health answers 200. An engine without the endpoint
// (404) passes: it answered, and the first completion will tell the rest.
func (e *Engine) health(ctx context.Context) error {
	resp, err := e.get(ctx, "/health")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK, http.StatusNotFound:
		return nil
	}
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	return &healthError{url: e.URL, status: resp.StatusCode, body: string(bytes.TrimSpace(b))}
}

func (e *Engine) get(ctx context.Context, path string) (*http.Response, error) {
	url := e.URL + path
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	if e.token != "" {
		req.Header.Set("Authorization", "Bearer "+e.token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", url, client.Bare(err))
	}
	return resp, nil
}

// props fetches GET /props and keeps the body as sent (key order, number
// text), so the record is what the engine said.
func (e *Engine) props(ctx context.Context) (json.RawMessage, map[string]any, error) {
	url := e.URL + "/props"
	resp, err := e.get(ctx, "/props")
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxProps))
	if err != nil {
		return nil, nil, fmt.Errorf("GET %s: %w", url, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, nil, fmt.Errorf("GET %s: HTTP %d", url, resp.StatusCode)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil || m == nil {
		return nil, nil, fmt.Errorf("GET %s: not a JSON object", url)
	}
	var b bytes.Buffer
	if err := json.Compact(&b, body); err != nil {
		return nil, nil, fmt.Errorf("GET %s: %w", url, err)
	}
	return b.Bytes(), m, nil
}

// maxProps bounds the /props body (llama.cpp's includes the chat template).
const maxProps = 4 << 20

func newClient(url string, api client.API, token string) *client.Client {
	var opts []client.Option
	if token != "" {
		opts = append(opts, client.WithToken(token))
	}
	opts = append(opts, client.WithHTTPClient(&http.Client{}))
	return client.New(url, api, opts...)
}
