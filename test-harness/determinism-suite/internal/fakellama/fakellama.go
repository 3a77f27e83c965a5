package fakellama

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
)

// Options shape the fake.
type Options struct {
	// Nondeterministic perturbs one token of every answer at random.
	Nondeterministic bool
	// Slots is reported as total_slots in /props (0 reports 1).
	Slots int
	// NoProps makes /props answer 404, like an engine without it.
	NoProps bool
	// Garbage makes /completion answer with a stream that is not llama.cpp's.
	Garbage bool
	// Bytes adds byte tokens that split multi-byte characters.
	Bytes bool
	// RenameBytes reports the ids of lead-byte tokens renamed (id+1000):
	// the same text under other ids, a real difference between replicas
	// that a stream never shows (a lead byte's id is always withheld).
	RenameBytes bool
	// ErrorAfter, when > 0, ends every stream after that many events with
	// llama.cpp's error line.
	ErrorAfter int
	// NoUsage leaves usage out of the last /v1/completions chunk, as
	// servers that copy OpenAI's API do unless asked for it (llama.cpp
	// b4748 always sends it): the token count is then unknown.
	NoUsage bool
	// ErrorFirst answers every stream with llama.cpp's error line before
	// any event, as llama.cpp does when the prompt exceeds the context.
	ErrorFirst bool
	// Loading is how many /health polls answer 503 "Loading model".
	Loading int
	// ModelPath is /props' model_path (default "models/tiny.gguf").
	ModelPath string
	// RepeatPenalty is the server's sampler default (default 1).
	RepeatPenalty float64
	// Build is /props' build_info (default "b4748-c392e509").
	Build string
}

// Fake is a running stand-in.
type Fake struct {
	*httptest.Server
	o      Options
	polls  atomic.Int64
	mu     sync.Mutex
	cached map[string]bool
	bodies []map[string]any
}

var words = []string{" the", " a", " sea", " old", " man", " walked", " to", " town", ",", ".", " and", " bread", "\n", " café", " 東京"}

// byteWords split 東 (e6 9d b1) and 😀 (f0 9f 98 80), and a lone lead byte.
var byteWords = []string{"\xe6", "\x9d\xb1", "\xf0\x9f", "\x98\x80", "\xc3"}

// vocab is the vocabulary of o.
func vocab(o Options) []string {
	if o.Bytes {
		return append(append([]string(nil), words...), byteWords...)
	}
	return words
}

// Start runs a fake on 127.0.0.1; the caller closes it.
func Start(o Options) *Fake {
	f := &Fake{o: o, cached: map[string]bool{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /health", func(w http.ResponseWriter, _ *http.Request) {
		if f.polls.Add(1) <= int64(o.Loading) {
			loading(w)
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		fmt.Fprint(w, `{"status":"ok"}`)
	})
	mux.HandleFunc("GET /props", func(w http.ResponseWriter, _ *http.Request) {
		switch {
		case f.polls.Load() < int64(o.Loading):
			loading(w)
		case o.NoProps:
			http.NotFound(w, nil)
		default:
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			w.Write(Props(o))
		}
	})
	mux.HandleFunc("POST /completion", func(w http.ResponseWriter, r *http.Request) { f.complete(w, r, false) })
	mux.HandleFunc("POST /v1/completions", func(w http.ResponseWriter, r *http.Request) { f.complete(w, r, true) })
	f.Server = httptest.NewServer(mux)
	return f
}

// Bodies returns the completion requests received, decoded.
func (f *Fake) Bodies() []map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]map[string]any(nil), f.bodies...)
}

func loading(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusServiceUnavailable)
	fmt.Fprint(w, `{"error":{"code":503,"message":"Loading model","type":"unavailable_error"}}`)
}

// request is what the fake reads of a completion request.
type request struct {
	Prompt       string       `json:"prompt"`
	NPredict     *int         `json:"n_predict"`
	MaxTokens    *int         `json:"max_tokens"`
	Seed         *json.Number `json:"seed"`
	Stream       bool         `json:"stream"`
	CachePrompt  *bool        `json:"cache_prompt"`
	ReturnTokens bool         `json:"return_tokens"`
}

func (f *Fake) complete(w http.ResponseWriter, r *http.Request, oai bool) {
	var req request
	dec := json.NewDecoder(r.Body)
	dec.UseNumber()
	var raw map[string]any
	if err := dec.Decode(&raw); err != nil {
		badRequest(w, "bad json")
		return
	}
	b, _ := json.Marshal(raw)
	json.Unmarshal(b, &req)
	f.mu.Lock()
	f.bodies = append(f.bodies, raw)
	f.mu.Unlock()
	n := 16 // llama.cpp's /v1/completions default max_tokens
	if !oai {
		n = -1
	}
	for _, p := range []*int{req.NPredict, req.MaxTokens} {
		if p != nil {
			n = *p
		}
	}
	if n < 0 {
		n = 64
	}
	seed, ok := Seed(req.Seed)
	if !ok {
		badRequest(w, "seed must be an integer")
		return
	}
	cache := true // llama.cpp b4748's default on both endpoints
	if req.CachePrompt != nil {
		cache = *req.CachePrompt
	}
	f.mu.Lock()
	hit := cache && f.cached[req.Prompt]
	if cache {
		f.cached[req.Prompt] = true
	}
	f.mu.Unlock()
	g := f.generate(req.Prompt, seed, n, hit)
	if !req.Stream {
		f.whole(w, req, g, seed, oai)
		return
	}
	if f.o.Garbage {
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprint(w, "data: {\"content\": 3}\n\n")
		return
	}
	closeAfter(w, func(emit func([]byte)) { f.stream(emit, req, g, seed, oai) })
}

func badRequest(w http.ResponseWriter, msg string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusBadRequest)
	fmt.Fprintf(w, `{"error":{"code":400,"message":%q,"type":"invalid_request_error"}}`, msg)
}

// Seed reads a request's seed as llama.cpp b4748 does: kept to its low 32
// bits, 4294967295 meaning "random" (then a random seed is used). A
// missing seed is random too.
func Seed(v *json.Number) (uint32, bool) {
	var s uint32 = 0xFFFFFFFF
	if v != nil {
		if i, err := strconv.ParseInt(v.String(), 10, 64); err == nil {
			s = uint32(i)
		} else if u, err := strconv.ParseUint(v.String(), 10, 64); err == nil {
			s = uint32(u)
		} else {
			return 0, false
		}
	}
	if s == 0xFFFFFFFF {
		s = rand.Uint32N(0xFFFFFFFF)
	}
	return s, true
}

// generation is the token ids (as generated) of one answer.
type generation []int

func (f *Fake) generate(prompt string, seed uint32, n int, cacheHit bool) generation {
	v := vocab(f.o)
	flip := -1
	if f.o.Nondeterministic && n > 0 {
		flip = rand.IntN(n)
	}
	if cacheHit && n > 0 {
		flip = n - 1 // a reused prompt cache shifts the numerics of the last token
	}
	g := make(generation, n)
	for i := range n {
		id := Token(prompt, int64(seed), i, f.o.Bytes)
		switch {
		case i == flip && cacheHit:
			id = (id + 1) % len(v)
		case i == flip:
			id = (id + 1 + rand.IntN(len(v)-1)) % len(v)
		}
		g[i] = id
	}
	return g
}

// reported is the id the fake's vocabulary gives token id.
func (f *Fake) reported(id int) int {
	if f.o.RenameBytes && Lead(id) {
		return id + 1000
	}
	return id
}

// Token is the deterministic token id at position i (bytes: with byte
// tokens in the vocabulary).
func Token(prompt string, seed int64, i int, bytes bool) int {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s\x00%d\x00%d", prompt, seed, i)
	return int(h.Sum64() % uint64(len(vocab(Options{Bytes: bytes}))))
}

// Lead reports whether token id is a byte token that starts a multi-byte
// character (so its text always leaves the generated text incomplete).
func Lead(id int) bool { return id >= len(words) && Word(id)[0] >= 0xC0 }

// Word is the text of token id.
func Word(id int) string {
	if id >= len(words) {
		return byteWords[id-len(words)]
	}
	return words[id]
}
