package server_test

import (
	"bufio"
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"orchcore.dev/test-harness/refengine/server"
)

// failPattern sends n sequential completions and returns their status codes
// as a string of '.' (200) and 'x' (500).
func failPattern(t *testing.T, url string, n int) string {
	t.Helper()
	var b strings.Builder
	for range n {
		resp := post(t, url+"/completion", `{"prompt":"a","n_predict":1,"seed":1}`)
		resp.Body.Close()
		switch resp.StatusCode {
		case 200:
			b.WriteByte('.')
		case 500:
			b.WriteByte('x')
		default:
			t.Fatalf("status %d", resp.StatusCode)
		}
	}
	return b.String()
}

func TestFailRateIsReproducibleBySeed(t *testing.T) {
	_, a := start(t, server.Options{FailRate: 0.4, FailSeed: 42})
	_, b := start(t, server.Options{FailRate: 0.4, FailSeed: 42})
	_, c := start(t, server.Options{FailRate: 0.4, FailSeed: 43})
	pa, pb, pc := failPattern(t, a, 40), failPattern(t, b, 40), failPattern(t, c, 40)
	if pa != pb {
		t.Errorf("same fail seed, different failures:\n%s\n%s", pa, pb)
	}
	if !strings.Contains(pa, "x") || !strings.Contains(pa, ".") {
		t.Errorf("fail rate 0.4 over 40 requests gave %s", pa)
	}
	if pa == pc {
		t.Errorf("fail seeds 42 and 43 gave the same failures %s", pa)
	}
	if got := metric(t, a, "refengine_injected_failures_total"); got != strconv.Itoa(strings.Count(pa, "x")) {
		t.Errorf("refengine_injected_failures_total = %s, pattern %s", got, pa)
	}
}

func TestFaultsAreOffByDefault(t *testing.T) {
	_, url := start(t, server.Options{})
	if p := failPattern(t, url, 20); strings.Contains(p, "x") {
		t.Errorf("failures without --fail-rate: %s", p)
	}
}

func TestReadinessToggle(t *testing.T) {
	_, url := start(t, server.Options{})
	status := func(method, path, body string) int {
		req, _ := http.NewRequest(method, url+path, strings.NewReader(body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := status("GET", "/health", ""); got != 200 {
		t.Fatalf("health before toggle: %d", got)
	}
	if got := status("POST", "/admin/ready", `{"ready":false}`); got != 200 {
		t.Fatalf("POST /admin/ready: %d", got)
	}
	if got := status("GET", "/health", ""); got != 503 {
		t.Errorf("health when unready: %d, want 503", got)
	}
	if got := status("POST", "/completion", `{"prompt":"a","n_predict":1}`); got != 503 {
		t.Errorf("completion when unready: %d, want 503", got)
	}
	if got := status("POST", "/admin/ready", `{"ready":"no"}`); got != 400 {
		t.Errorf("bad readiness body: %d, want 400", got)
	}
	if got := status("POST", "/admin/ready", `{"ready":true}`); got != 200 {
		t.Fatalf("POST /admin/ready: %d", got)
	}
	if got := status("GET", "/health", ""); got != 200 {
		t.Errorf("health after re-enabling: %d", got)
	}
}

func TestLatencyDelaysTheFirstByte(t *testing.T) {
	_, url := start(t, server.Options{Latency: 150 * time.Millisecond})
	begin := time.Now()
	resp := post(t, url+"/completion", `{"prompt":"a","n_predict":1,"seed":1}`)
	resp.Body.Close()
	if took := time.Since(begin); resp.StatusCode != 200 || took < 150*time.Millisecond {
		t.Errorf("status %d after %v, want 200 after at least 150ms", resp.StatusCode, took)
	}
}

func TestClientDisconnectCancelsGeneration(t *testing.T) {
	_, url := start(t, server.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url+"/completion",
		strings.NewReader(`{"prompt":"a","n_predict":1000000,"seed":1,"stream":true}`))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(resp.Body).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, "data: ") {
		t.Fatalf("first line %q, %v", line, err)
	}
	if got := metric(t, url, "refengine_active_slots"); got != "1" {
		t.Fatalf("active slots while streaming = %s", got)
	}
	cancel()
	resp.Body.Close()
	deadline := time.Now().Add(10 * time.Second)
	for metric(t, url, "refengine_cancelled_total") != "1" || metric(t, url, "refengine_active_slots") != "0" {
		if time.Now().After(deadline) {
			t.Fatalf("generation still running 10s after the client left; tokens so far %s",
				metric(t, url, "refengine_tokens_generated_total"))
		}
		time.Sleep(10 * time.Millisecond)
	}
	// The freed slot takes the next request.
	resp = post(t, url+"/completion", `{"prompt":"a","n_predict":2}`)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("next request: %d", resp.StatusCode)
	}
}

func TestAuthToken(t *testing.T) {
	_, url := start(t, server.Options{AuthToken: "s3cret"})
	cases := []struct {
		method, path, auth string
		want               int
	}{
		{"GET", "/health", "", 200},
		{"GET", "/props", "", 401},
		{"GET", "/props", "Bearer wrong", 401},
		{"GET", "/props", "Bearer s3cret", 200},
		{"GET", "/metrics", "", 401},
		{"POST", "/completion", "", 401},
		{"POST", "/v1/completions", "Bearer s3cre", 401},
		{"POST", "/completion", "Bearer s3cret", 200},
		{"POST", "/admin/ready", "", 401},
	}
	for _, c := range cases {
		req, _ := http.NewRequest(c.method, url+c.path, strings.NewReader(`{"prompt":"a","n_predict":1}`))
		if c.auth != "" {
			req.Header.Set("Authorization", c.auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != c.want {
			t.Errorf("%s %s with %q: %d, want %d", c.method, c.path, c.auth, resp.StatusCode, c.want)
		}
	}
}

func TestNonLoopbackBindNeedsToken(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "[::]:0", "192.0.2.1:0"} {
		s, err := server.New(server.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if url, err := s.Start(addr); err == nil || !strings.Contains(err.Error(), "auth token") {
			t.Errorf("Start(%q) without token = %q, %v; want refusal naming the auth token", addr, url, err)
		}
		s.Close()
	}
	for _, addr := range []string{"127.0.0.1:0", "localhost:0"} {
		s, _ := server.New(server.Options{})
		url, err := s.Start(addr)
		if err != nil || !(strings.HasPrefix(url, "http://127.0.0.1:") || strings.HasPrefix(url, "http://[::1]:")) {
			t.Errorf("Start(%q) = %q, %v", addr, url, err)
		}
		s.Close()
	}
}

func TestNewRejectsBadOptions(t *testing.T) {
	for _, o := range []server.Options{{Parallel: -1}, {FailRate: 1.5}, {Latency: -time.Second}} {
		if _, err := server.New(o); err == nil {
			t.Errorf("New(%+v) accepted", o)
		}
	}
}

func TestTokenLatencySlowsEveryToken(t *testing.T) {
	_, url := start(t, server.Options{TokenLatency: 30 * time.Millisecond})
	begin := time.Now()
	resp := post(t, url+"/completion", `{"prompt":"a","n_predict":5,"seed":1}`)
	resp.Body.Close()
	if took := time.Since(begin); resp.StatusCode != 200 || took < 150*time.Millisecond {
		t.Errorf("status %d after %v, want 200 after at least 5×30ms", resp.StatusCode, took)
	}
}
