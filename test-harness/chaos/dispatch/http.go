package dispatch

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/test-harness/refengine/client"
)

// HTTPEngine runs jobs on a llama.cpp-compatible server (the refengine)
// over POST /completion with streaming, and probes it with /health,
// /props and /metrics.
type HTTPEngine struct {
	URL string
	// Prompt builds the prompt text of a job; nil uses the task id.
	Prompt func(*core.Job) string
	// Stall is how long a stream may go without a byte before the job is
	// failed as STREAM_STALLED (default 1 s).
	Stall time.Duration
	// Token, when set, is sent as a bearer token.
	Token  string
	Client *http.Client
}

var (
	_ Engine = (*HTTPEngine)(nil)
	_ Probe  = (*HTTPEngine)(nil)
)

func (e *HTTPEngine) hc() *http.Client {
	if e.Client != nil {
		return e.Client
	}
	return http.DefaultClient
}

func (e *HTTPEngine) do(req *http.Request) (*http.Response, error) {
	if e.Token != "" {
		req.Header.Set("Authorization", "Bearer "+e.Token)
	}
	resp, err := e.hc().Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w: %v", req.Method, req.URL, ErrDown, err)
	}
	return resp, nil
}

// Run streams one job and calls tok once per token event.
func (e *HTTPEngine) Run(ctx context.Context, j *core.Job, tok func(int)) error {
	prompt := j.Task.ID
	if e.Prompt != nil {
		prompt = e.Prompt(j)
	}
	body, _ := json.Marshal(map[string]any{
		"prompt": prompt, "n_predict": j.Task.MaxNewTokens, "seed": j.Seed.Value, "stream": true,
	})
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.URL+"/completion", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	stall := e.Stall
	if stall <= 0 {
		stall = time.Second
	}
	var stalled atomic.Bool
	timer := time.AfterFunc(stall, func() { stalled.Store(true); cancel() })
	defer timer.Stop()
	resp, err := e.do(req)
	if err != nil {
		if stalled.Load() {
			return fmt.Errorf("%s: no response in %v: %w", e.URL, stall, ErrStalled)
		}
		return err
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusServiceUnavailable:
		return fmt.Errorf("%s/completion: HTTP 503: %w", e.URL, ErrNotReady)
	case resp.StatusCode != http.StatusOK:
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 256))
		return fmt.Errorf("%s/completion: HTTP %d: %s", e.URL, resp.StatusCode, bytes.TrimSpace(b))
	}
	done := false
	r := &resetReader{r: resp.Body, t: timer, d: stall}
	err = client.ReadEvents(r, func(data []byte) error {
		var ev struct {
			Stop bool `json:"stop"`
		}
		if err := json.Unmarshal(data, &ev); err != nil {
			return fmt.Errorf("%s/completion: bad event: %v", e.URL, err)
		}
		if ev.Stop {
			done = true
			return client.ErrStop
		}
		tok(1)
		return nil
	})
	switch {
	case done:
		return nil
	case stalled.Load():
		return fmt.Errorf("%s/completion: no byte for %v: %w", e.URL, stall, ErrStalled)
	case ctx.Err() != nil:
		return ctx.Err()
	case err != nil:
		return fmt.Errorf("%s/completion: %w: %v", e.URL, ErrDown, err)
	}
	return fmt.Errorf("%s/completion: stream ended without its stop event: %w", e.URL, ErrDown)
}

// resetReader pushes the stall timer back on every read that returns data.
type resetReader struct {
	r io.Reader
	t *time.Timer
	d time.Duration
}

func (r *resetReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if n > 0 {
		r.t.Reset(r.d)
	}
	return n, err
}

// Probe asks /health, then /props for slots and versions and /metrics for
// busy slots. Any transport error or timeout is an error (down); a 503 from
// /health is not Ready.
func (e *HTTPEngine) Probe(ctx context.Context) (Status, error) {
	st := Status{Active: -1}
	resp, err := e.get(ctx, "/health")
	if err != nil {
		return st, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
		st.Ready = true
	case http.StatusServiceUnavailable:
	default:
		return st, fmt.Errorf("%s/health: HTTP %d", e.URL, resp.StatusCode)
	}
	resp, err = e.get(ctx, "/props")
	if err != nil {
		return st, err
	}
	var props struct {
		Slots    int    `json:"total_slots"`
		Version  string `json:"engine_version"`
		Sampler  string `json:"sampler_profile_version"`
		Digest   string `json:"model_digest"`
		Defaults struct {
			NCtx int `json:"n_ctx"`
		} `json:"default_generation_settings"`
	}
	err = json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&props)
	resp.Body.Close()
	if err != nil {
		return st, fmt.Errorf("%s/props: %w: %v", e.URL, ErrDown, err)
	}
	st.Slots, st.EngineVersion, st.SamplerProfile, st.ModelDigest = props.Slots, props.Version, props.Sampler, props.Digest
	st.CtxMax = props.Defaults.NCtx
	if resp, err := e.get(ctx, "/metrics"); err == nil {
		st.Active = activeSlots(resp.Body)
		resp.Body.Close()
	}
	return st, nil
}

func (e *HTTPEngine) get(ctx context.Context, path string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, e.URL+path, nil)
	if err != nil {
		return nil, err
	}
	return e.do(req)
}

// activeSlots reads refengine_active_slots from a text exposition, -1 if
// absent.
func activeSlots(r io.Reader) int {
	sc := bufio.NewScanner(io.LimitReader(r, 1<<20))
	for sc.Scan() {
		line := sc.Text()
		if v, ok := strings.CutPrefix(line, "refengine_active_slots "); ok {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err == nil {
				return int(f)
			}
		}
	}
	return -1
}

var _ = errors.New
