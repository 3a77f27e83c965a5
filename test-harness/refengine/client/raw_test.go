package client_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// rawServer speaks HTTP/1.1 by hand so a test can do what Go's server
// will not: close a connection after a response that advertised
// keep-alive, as llama.cpp's server (cpp-httplib 0.19) does after every
// streamed response.
type rawServer struct {
	URL      string
	requests atomic.Int64 // requests read, counted from 1
	conns    atomic.Int64
	// handle answers request n on conn; false closes the connection.
	handle func(n int64, r *http.Request, w io.Writer) (keep bool)
	wg     sync.WaitGroup
	mu     sync.Mutex
	open   []net.Conn
}

func startRaw(t testing.TB, handle func(n int64, r *http.Request, w io.Writer) bool) *rawServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &rawServer{URL: "http://" + ln.Addr().String(), handle: handle}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.conns.Add(1)
			s.mu.Lock()
			s.open = append(s.open, c)
			s.mu.Unlock()
			s.wg.Go(func() { s.serve(c) })
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		s.mu.Lock()
		for _, c := range s.open { // kept-alive connections the client holds
			c.Close()
		}
		s.mu.Unlock()
		s.wg.Wait()
	})
	return s
}

func (s *rawServer) serve(c net.Conn) {
	defer c.Close()
	br := bufio.NewReader(c)
	for {
		r, err := http.ReadRequest(br)
		if err != nil {
			return
		}
		io.Copy(io.Discard, r.Body)
		bw := bufio.NewWriter(c)
		keep := s.handle(s.requests.Add(1), r, bw)
		bw.Flush()
		if !keep {
			return
		}
	}
}

// llamaStream writes a streamed /completion answer the way llama.cpp
// b4748 does: chunked, "Keep-Alive: timeout=5, max=100", no
// "Connection: close", the terminal chunk, and then the server closes.
func llamaStream(w io.Writer, events ...string) bool {
	fmt.Fprint(w, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nKeep-Alive: timeout=5, max=100\r\nServer: llama.cpp\r\nTransfer-Encoding: chunked\r\n\r\n")
	for _, e := range events {
		fmt.Fprintf(w, "%x\r\n%s\r\n", len(e), e)
	}
	fmt.Fprint(w, "0\r\n\r\n")
	return false
}

// llamaJSON writes a non-streamed answer; the connection stays open.
func llamaJSON(w io.Writer, status int, body string) bool {
	fmt.Fprintf(w, "HTTP/1.1 %d %s\r\nContent-Type: application/json; charset=utf-8\r\nKeep-Alive: timeout=5, max=100\r\nContent-Length: %d\r\n\r\n%s",
		status, http.StatusText(status), len(body), body)
	return true
}

var twoTokens = []string{
	"data: {\"index\":0,\"content\":\"h\",\"tokens\":[73],\"stop\":false,\"id_slot\":-1,\"tokens_predicted\":1,\"tokens_evaluated\":2}\n\n",
	"data: {\"index\":0,\"content\":\"i\",\"tokens\":[74],\"stop\":false,\"id_slot\":-1,\"tokens_predicted\":2,\"tokens_evaluated\":2}\n\n",
	"data: {\"index\":0,\"content\":\"\",\"tokens\":[],\"id_slot\":0,\"stop\":true,\"tokens_predicted\":2,\"stop_type\":\"limit\"}\n\n",
}

// closingEngine answers every POST with a stream and closes afterwards;
// GETs get JSON on a kept connection.
func closingEngine(t testing.TB) *rawServer {
	return startRaw(t, func(_ int64, r *http.Request, w io.Writer) bool {
		if r.Method == http.MethodGet {
			return llamaJSON(w, 200, `{"status":"ok"}`)
		}
		if strings.Contains(r.Header.Get("Content-Type"), "json") && r.ContentLength != 0 {
			return llamaStream(w, twoTokens...)
		}
		return llamaJSON(w, 400, `{"error":{"code":400,"message":"no body","type":"invalid_request_error"}}`)
	})
}
