package server_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"orchcore.dev/test-harness/refengine/server"
)

// start runs a server on an httptest listener and closes both at the end.
func start(t *testing.T, o server.Options) (*server.Server, string) {
	t.Helper()
	s, err := server.New(o)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(func() { ts.Close(); s.Close() })
	return s, ts.URL
}

// post sends body as JSON and returns the response.
func post(t testing.TB, url, body string, header ...string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// sseData splits a complete SSE body into its data payloads, checking that
// every event is exactly "data: <payload>\n\n".
func sseData(t *testing.T, body []byte) []string {
	t.Helper()
	var out []string
	for len(body) > 0 {
		ev, rest, ok := bytes.Cut(body, []byte("\n\n"))
		if !ok {
			t.Fatalf("event not terminated by a blank line: %q", body)
		}
		payload, found := bytes.CutPrefix(ev, []byte("data: "))
		if !found || bytes.Contains(payload, []byte("\n")) {
			t.Fatalf("event is not one data line: %q", ev)
		}
		out = append(out, string(payload))
		body = rest
	}
	return out
}

// keys returns the top-level keys of a JSON object in document order.
func keys(t *testing.T, obj string) []string {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(obj))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("not a JSON object: %s", obj)
	}
	var ks []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		ks = append(ks, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return ks
}

func readAll(t *testing.T, r io.Reader) []byte {
	t.Helper()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// metric returns the value of an unlabelled sample from /metrics text.
func metric(t *testing.T, url, name string) string {
	t.Helper()
	resp, err := http.Get(url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), name+" "); ok {
			return v
		}
	}
	t.Fatalf("metric %s not exposed", name)
	return ""
}
