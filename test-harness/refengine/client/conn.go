package client

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptrace"
	"sync/atomic"
)

// Connections. llama.cpp's server (cpp-httplib 0.19) closes the TCP
// connection after every streamed response while advertising keep-alive.
// Go's transport would put that connection back in its pool and send the
// next POST on it, and Go does not retry a POST. So a streamed request
// asks for its connection to be closed after the response (it is never
// reused; see docs/benchmarks.md for what that costs), and any request
// that went out on a reused connection which died before the first byte
// of the response is sent once more on a new one. Once a byte of the
// response has arrived the request is never sent again.

// connMode is how a client handles connections; only closeStreams is
// offered, the others exist to measure and test it (export_test.go).
type connMode int

const (
	closeStreams   connMode = iota // close after a stream; retry once on a dead reused connection
	idempotencyKey                 // reuse; Go's transport retries (measured alternative)
	naive                          // reuse, no retry: Go's default for a POST
)

// send performs hr, retrying once as described above. body rebuilds the
// request body for the retry.
func (c *Client) send(hr *http.Request, stream bool) (*http.Response, error) {
	switch c.conn {
	case closeStreams:
		hr.Close = stream
	case idempotencyKey:
		// The measured alternative: Go's transport itself retries a
		// request carrying this header on a dead reused connection.
		hr.Header.Set("Idempotency-Key", "orchcore-client")
		return c.http.Do(hr)
	case naive:
		return c.http.Do(hr)
	}
	resp, reused, err := c.try(hr)
	if err == nil || !reused || hr.GetBody == nil && hr.Body != nil {
		return resp, err
	}
	retry := hr.Clone(hr.Context())
	if hr.GetBody != nil {
		b, gerr := hr.GetBody()
		if gerr != nil {
			return nil, err
		}
		retry.Body = b
	}
	retry.Close = true // a fresh connection, closed afterwards
	c.retries.Add(1)
	resp, _, err2 := c.try(retry)
	if err2 != nil {
		return nil, errors.Join(err, err2)
	}
	return resp, nil
}

// try sends hr once and says whether the failure, if any, happened on a
// reused connection before any byte of the response arrived.
func (c *Client) try(hr *http.Request) (*http.Response, bool, error) {
	var reused, first atomic.Bool
	trace := &httptrace.ClientTrace{
		GotConn:              func(i httptrace.GotConnInfo) { reused.Store(i.Reused) },
		GotFirstResponseByte: func() { first.Store(true) },
	}
	hr = hr.WithContext(httptrace.WithClientTrace(hr.Context(), trace))
	resp, err := c.http.Do(hr)
	if err != nil {
		dead := reused.Load() && !first.Load() && hr.Context().Err() == nil && !errors.Is(err, context.Canceled)
		return nil, dead, err
	}
	return resp, false, nil
}

// Retries says how many requests were sent a second time because their
// reused connection turned out dead.
func (c *Client) Retries() int64 { return c.retries.Load() }

// drain reads what is left of a body so a kept connection can be reused.
func drain(b io.ReadCloser) {
	io.Copy(io.Discard, io.LimitReader(b, 64<<10))
	b.Close()
}
