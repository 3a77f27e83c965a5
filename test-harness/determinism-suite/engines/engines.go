package engines

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
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
		return d, nil, fmt.Errorf("engine %s: health: %w", e.URL, err)
	}
	raw, props, err := e.props(hctx)
	if err != nil {
		d.PropsError = err.Error()
		return d, nil, nil
	}
	d.Props = raw
	d.Version = lookup(props, "engine_version")
	return d, props, nil
}

// Complete asks the engine for one streamed completion.
func (e *Engine) Complete(ctx context.Context, r suite.Request) (transcript.Stream, error) {
	ctx, cancel := context.WithTimeout(ctx, e.timeout)
	defer cancel()
	res, err := e.c.Complete(ctx, client.Request{
		Prompt:      r.Prompt,
		NPredict:    r.Params.NPredict,
		Seed:        int64(r.Seed),
		Temperature: r.Params.Temperature,
		TopK:        r.Params.TopK,
		TopP:        r.Params.TopP,
		MinP:        r.Params.MinP,
	})
	if err != nil {
		return transcript.Stream{}, err
	}
	return transcript.Stream{
		Tokens:   res.Tokens,
		Pieces:   res.Pieces,
		Content:  res.Content,
		StopType: res.StopType,
	}, nil
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
	return fmt.Errorf("GET %s/health: HTTP %d: %s", e.URL, resp.StatusCode, bytes.TrimSpace(b))
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
		return nil, fmt.Errorf("GET %s: %w", url, err)
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
