package fakellama

import (
	"bufio"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
)

// post sends one request on its own connection and returns the answer's
// headers and body and whether the server closed the connection after it.
func post(t *testing.T, f *Fake, path, body string) (http.Header, string, bool) {
	t.Helper()
	c, err := net.Dial("tcp", f.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	req, _ := http.NewRequest(http.MethodPost, f.URL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Write(c)
	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, req)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	// A server that keeps the connection answers a second request on it.
	req2, _ := http.NewRequest(http.MethodGet, f.URL+"/health", nil)
	req2.Write(c)
	_, err = http.ReadResponse(br, req2)
	return resp.Header, string(b), err != nil
}

func TestStreamClosesWhileAdvertisingKeepAlive(t *testing.T) {
	f := Start(Options{})
	defer f.Close()
	h, body, closed := post(t, f, "/completion", `{"prompt":"x","n_predict":3,"seed":1,"stream":true}`)
	if !closed || h.Get("Keep-Alive") != "timeout=5, max=100" || h.Get("Connection") != "" || !strings.Contains(body, `"stop":true`) {
		t.Errorf("stream: closed %v, headers %v, body %q", closed, h, body)
	}
	_, body, closed = post(t, f, "/completion", `{"prompt":"x","n_predict":3,"seed":1}`)
	if closed || !strings.Contains(body, `"stop":true`) {
		t.Errorf("whole answer: closed %v body %q", closed, body)
	}
}

func TestCompleteUTF8(t *testing.T) {
	cases := map[string]int{"": 0, "a": 1, "a\xe6": 1, "a\xe6\x9d": 1, "a\xe6\x9d\xb1": 4, "\xf0\x9f\x98": 0, "\x9d\xb1": 2, "\xc3": 0, "é": 2}
	for s, want := range cases {
		if got := completeUTF8(s); got != want {
			t.Errorf("completeUTF8(%q) = %d, want %d", s, got, want)
		}
	}
}

type event struct {
	Content         string `json:"content"`
	Tokens          []int  `json:"tokens"`
	TokensPredicted int    `json:"tokens_predicted"`
	Stop            bool   `json:"stop"`
}

// With byte tokens ids are withheld, the held-back text travels with the
// next event, the tail is lost, and tokens_predicted counts every token.
func TestHoldBack(t *testing.T) {
	f := Start(Options{Bytes: true})
	defer f.Close()
	withheld, lost := 0, 0
	for seed := range 40 {
		body := `{"prompt":"p","n_predict":24,"stream":true,"seed":` + itoa(seed) + `}`
		_, raw, _ := post(t, f, "/completion", body)
		var evs []event
		for _, line := range strings.Split(raw, "\n") {
			if d, ok := strings.CutPrefix(line, "data: "); ok {
				var e event
				if err := json.Unmarshal([]byte(d), &e); err != nil {
					t.Fatal(err)
				}
				evs = append(evs, e)
			}
		}
		last := evs[len(evs)-1]
		if !last.Stop || last.TokensPredicted != 24 || last.Content != "" {
			t.Fatalf("final event %+v", last)
		}
		ids := 0
		var text strings.Builder
		var gen strings.Builder
		for i := range 24 {
			gen.WriteString(Word(Token("p", int64(seed), i, true)))
		}
		for _, e := range evs[:len(evs)-1] {
			ids += len(e.Tokens)
			text.WriteString(e.Content)
		}
		withheld += 24 - ids
		if g := gen.String(); completeUTF8(g) < len(g) {
			lost++
			if strings.Contains(text.String(), strings.ToValidUTF8(g, "\uFFFD")) {
				t.Errorf("seed %d: the held-back tail was streamed", seed)
			}
		}
	}
	if withheld == 0 || lost == 0 {
		t.Errorf("%d ids withheld, %d lost tails in 40 streams: the byte vocabulary never hit the hold-back", withheld, lost)
	}
}

func TestSeedIs32BitsAndMaxIsRandom(t *testing.T) {
	n := func(s string) *json.Number { v := json.Number(s); return &v }
	if a, _ := Seed(n("4294967296")); a != 0 {
		t.Errorf("seed 2^32 = %d, want 0", a)
	}
	if a, _ := Seed(n("4294967297")); a != 1 {
		t.Errorf("seed 2^32+1 = %d, want 1", a)
	}
	same := true
	first, _ := Seed(n("4294967295"))
	for range 5 {
		if s, _ := Seed(n("-1")); s != first {
			same = false
		}
	}
	if same {
		t.Error("seed -1 / 4294967295 is not random")
	}
}

func TestHealthLoading(t *testing.T) {
	f := Start(Options{Loading: 2})
	defer f.Close()
	for i, want := range []int{503, 503, 200} {
		resp, err := http.Get(f.URL + "/health")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want || want == 503 && !strings.Contains(string(b), "Loading model") {
			t.Errorf("poll %d: %d %s", i, resp.StatusCode, b)
		}
	}
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

func TestPropsShape(t *testing.T) {
	var m map[string]any
	if err := json.Unmarshal(Props(Options{Slots: 2, RepeatPenalty: 1.3}), &m); err != nil {
		t.Fatal(err)
	}
	p := m["default_generation_settings"].(map[string]any)["params"].(map[string]any)
	if m["build_info"] != "b4748-c392e509" || m["model_path"] != "models/tiny.gguf" || m["total_slots"] != 2.0 || p["repeat_penalty"] != 1.3 || p["mirostat"] != 0.0 {
		t.Errorf("props %v", m)
	}
}

// cache_prompt is on unless the request says false: the second request
// for a prompt then streams differently.
func TestPromptCacheDefaultOn(t *testing.T) {
	for _, path := range []string{"/completion", "/v1/completions"} {
		f := Start(Options{})
		body := `{"prompt":"p","n_predict":4,"max_tokens":4,"seed":1,"return_tokens":true}`
		_, first, _ := post(t, f, path, body)
		_, second, _ := post(t, f, path, body)
		if first == second {
			t.Errorf("%s: a cached prompt answered the same: %s", path, first)
		}
		off := `{"prompt":"q","n_predict":4,"max_tokens":4,"seed":1,"return_tokens":true,"cache_prompt":false}`
		_, a, _ := post(t, f, path, off)
		_, b, _ := post(t, f, path, off)
		if a != b {
			t.Errorf("%s: cache_prompt false still differs: %s vs %s", path, a, b)
		}
		f.Close()
	}
}

// NoUsage leaves usage out of the last chunk; ErrorFirst answers with
// the error line before any event (HTTP 200).
func TestNoUsageAndErrorFirst(t *testing.T) {
	body := `{"prompt":"x","max_tokens":3,"seed":1,"stream":true}`
	f := Start(Options{})
	_, with, _ := post(t, f, "/v1/completions", body)
	f.Close()
	f = Start(Options{NoUsage: true})
	_, without, _ := post(t, f, "/v1/completions", body)
	f.Close()
	if !strings.Contains(with, `"usage":{"completion_tokens":3`) || strings.Contains(without, "usage") || !strings.Contains(without, `"finish_reason":"length"`) {
		t.Errorf("usage:\n%s\nno usage:\n%s", with, without)
	}
	f = Start(Options{ErrorFirst: true})
	defer f.Close()
	for path, tail := range map[string]string{"/completion": "", "/v1/completions": "data: [DONE]\n\n"} {
		_, got, _ := post(t, f, path, body)
		want := "error: {\"code\":400,\"message\":\"" + ContextError + "\",\"type\":\"invalid_request_error\"}\n\n" + tail
		if got != want {
			t.Errorf("%s: %q", path, got)
		}
	}
}
