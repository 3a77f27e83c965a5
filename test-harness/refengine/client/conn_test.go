package client_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"orchcore.dev/test-harness/refengine/client"
)

// sequential sends n streamed completions one after another, with a
// health check between, and returns the first error.
func sequential(c *client.Client, n int) error {
	ctx := context.Background()
	for range n {
		if _, err := c.Complete(ctx, req); err != nil {
			return err
		}
		if err := c.Health(ctx); err != nil {
			return err
		}
	}
	return nil
}

func concurrent(c *client.Client, n, par int) error {
	var wg sync.WaitGroup
	errs := make(chan error, par)
	for range par {
		wg.Go(func() { errs <- sequential(c, n) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// A server that closes after every streamed response, as llama.cpp does,
// is survived: sequentially and under concurrent load.
func TestSurvivesCloseAfterStream(t *testing.T) {
	s := closingEngine(t)
	c := client.New(s.URL, client.LlamaCpp)
	if err := sequential(c, 30); err != nil {
		t.Fatalf("sequential: %v", err)
	}
	if err := concurrent(c, 10, 8); err != nil {
		t.Fatalf("concurrent: %v", err)
	}
}

// The control: Go's default handling of a POST (reuse, no retry) fails
// against the same server, so the test above could fail.
func TestNaiveConnectionsFailOnCloseAfterStream(t *testing.T) {
	s := closingEngine(t)
	c := client.New(s.URL, client.LlamaCpp, client.WithNaiveConns)
	var err error
	for range 20 { // each round sends 80 requests; one failure is enough
		if err = concurrent(c, 10, 8); err != nil {
			break
		}
	}
	if err == nil {
		t.Fatal("reused connections never failed against a server that closes after each stream")
	}
	if !strings.Contains(err.Error(), s.URL) {
		t.Errorf("error does not name the URL: %v", err)
	}
}

// A request sent on a reused connection that turns out dead before any
// byte of the answer is sent exactly once more.
func TestRetryOnceOnDeadReusedConnection(t *testing.T) {
	s := startRaw(t, func(n int64, r *http.Request, w io.Writer) bool {
		switch {
		case r.Method == http.MethodGet:
			return llamaJSON(w, 200, `{"status":"ok"}`)
		case n == 2: // the POST arrives on the kept connection: drop it unanswered
			return false
		}
		return llamaStream(w, twoTokens...)
	})
	c := client.New(s.URL, client.LlamaCpp)
	ctx := context.Background()
	if err := c.Health(ctx); err != nil {
		t.Fatal(err)
	}
	res, err := c.Complete(ctx, req)
	if err != nil {
		t.Fatalf("complete after a dead connection: %v", err)
	}
	if res.Content != "hi" || c.Retries() != 1 || s.requests.Load() != 3 {
		t.Errorf("content %q, %d retries, server saw %d requests; want hi, 1, 3", res.Content, c.Retries(), s.requests.Load())
	}
}

// Once a byte of the answer has arrived the request is never sent again,
// and a retry that fails too is not retried a second time.
func TestNoReplayAfterFirstByteAndOnlyOnce(t *testing.T) {
	cut := startRaw(t, func(n int64, r *http.Request, w io.Writer) bool {
		if r.Method == http.MethodGet {
			return llamaJSON(w, 200, `{"status":"ok"}`)
		}
		io.WriteString(w, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n")
		return false // closed mid-stream
	})
	c := client.New(cut.URL, client.LlamaCpp)
	ctx := context.Background()
	c.Health(ctx)
	if _, err := c.Complete(ctx, req); err == nil {
		t.Fatal("a stream cut after its headers was accepted")
	}
	if cut.requests.Load() != 2 || c.Retries() != 0 {
		t.Errorf("server saw %d requests, %d retries; want 2 and 0 (no replay after a byte)", cut.requests.Load(), c.Retries())
	}

	dead := startRaw(t, func(n int64, r *http.Request, w io.Writer) bool {
		if r.Method == http.MethodGet {
			return llamaJSON(w, 200, `{"status":"ok"}`)
		}
		return false // every POST dropped unanswered
	})
	c = client.New(dead.URL, client.LlamaCpp)
	c.Health(ctx)
	if _, err := c.Complete(ctx, req); err == nil {
		t.Fatal("no answer at all was accepted")
	}
	if c.Retries() != 1 || dead.requests.Load() != 3 {
		t.Errorf("%d retries, server saw %d requests; want 1 retry, 3 requests", c.Retries(), dead.requests.Load())
	}
}
