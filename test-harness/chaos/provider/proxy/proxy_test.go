package proxy_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"orchcore.dev/test-harness/chaos/provider/proxy"
)

func get(t *testing.T, url string, timeout time.Duration) (string, time.Duration, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	start := time.Now()
	resp, err := (&http.Client{Transport: &http.Transport{DisableKeepAlives: true}}).Do(req)
	if err != nil {
		return "", time.Since(start), err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return string(b), time.Since(start), err
}

func TestModes(t *testing.T) {
	t.Attr("req", "OC-CHAOS-8005")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, strings.Repeat("x", 100))
	}))
	defer srv.Close()
	p, err := proxy.Listen("127.0.0.1:0", strings.TrimPrefix(srv.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	url := "http://" + p.Addr() + "/"
	if body, _, err := get(t, url, 2*time.Second); err != nil || len(body) != 100 {
		t.Fatalf("normal: %q %v", body, err)
	}
	p.Set(proxy.Reset, 0)
	if _, d, err := get(t, url, 2*time.Second); err == nil || d > time.Second {
		t.Fatalf("reset: err %v after %v, want a fast failure", err, d)
	}
	p.Set(proxy.Blackhole, 0)
	if _, d, err := get(t, url, 300*time.Millisecond); err == nil || d < 250*time.Millisecond {
		t.Fatalf("blackhole: err %v after %v, want a hang until the timeout", err, d)
	}
	p.Set(proxy.Latency, 200*time.Millisecond)
	if body, d, err := get(t, url, 5*time.Second); err != nil || len(body) != 100 || d < 200*time.Millisecond {
		t.Fatalf("latency: %d bytes in %v, %v", len(body), d, err)
	}
	p.Set(proxy.Trickle, 100*time.Millisecond)
	if body, d, err := get(t, url, 10*time.Second); err != nil || len(body) != 100 || d < 200*time.Millisecond {
		t.Fatalf("trickle: %d bytes in %v, %v", len(body), d, err)
	}
	p.Set(proxy.Normal, 0)
	if body, d, err := get(t, url, 2*time.Second); err != nil || len(body) != 100 || d > time.Second {
		t.Fatalf("healed: %d bytes in %v, %v", len(body), d, err)
	}
}

func TestCutAbortsOpenStreams(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "first")
		w.(http.Flusher).Flush()
		<-release
	}))
	defer srv.Close()
	defer close(release)
	p, _ := proxy.Listen("127.0.0.1:0", strings.TrimPrefix(srv.URL, "http://"))
	defer p.Close()
	resp, err := http.Get("http://" + p.Addr() + "/")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	buf := make([]byte, 5)
	if _, err := io.ReadFull(resp.Body, buf); err != nil {
		t.Fatal(err)
	}
	p.Set(proxy.Blackhole, 0)
	done := make(chan error, 1)
	go func() { _, err := io.ReadAll(resp.Body); done <- err }()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("stream ended cleanly through a cut")
		}
	case <-time.After(2 * time.Second):
		t.Fatal("open stream not aborted by the cut")
	}
}
