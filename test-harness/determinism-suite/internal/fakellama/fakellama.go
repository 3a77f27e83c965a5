package fakellama

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
)

// Options shape the fake.
type Options struct {
	// Nondeterministic perturbs one token of every stream at random.
	Nondeterministic bool
	// Slots, when non-zero, is reported as total_slots in /props.
	Slots int
	// NoProps makes /props answer 404, like an engine without it.
	NoProps bool
	// Garbage makes /completion answer with a stream that is not llama.cpp's.
	Garbage bool
}

var words = []string{" the", " a", " sea", " old", " man", " walked", " to", " town", ",", ".", " and", " bread", "\n", " café", " 東京"}

// Start runs a fake on 127.0.0.1 until the test ends; it returns its URL.
func Start(o Options) *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /health", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"status":"ok"}`)
	})
	mux.HandleFunc("GET /props", func(w http.ResponseWriter, _ *http.Request) {
		if o.NoProps {
			http.NotFound(w, nil)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(Props(o.Slots))
	})
	mux.HandleFunc("POST /completion", func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			Prompt   string `json:"prompt"`
			NPredict int    `json:"n_predict"`
			Seed     int64  `json:"seed"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, `{"error":{"code":400,"message":"bad json","type":"invalid_request_error"}}`, http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		if o.Garbage {
			fmt.Fprint(w, "data: {\"content\": 3}\n\n")
			return
		}
		flip := -1
		if o.Nondeterministic && req.NPredict > 0 {
			flip = rand.IntN(req.NPredict)
		}
		for i := range req.NPredict {
			id := Token(req.Prompt, req.Seed, i)
			if i == flip {
				id = (id + 1 + rand.IntN(len(words)-1)) % len(words)
			}
			w.Write(Partial(words[id], id, i+1))
			if f, ok := w.(http.Flusher); ok {
				f.Flush()
			}
		}
		w.Write(Final(req.Prompt, req.Seed, req.NPredict))
	})
	return httptest.NewServer(mux)
}

// Token is the deterministic token id at position i.
func Token(prompt string, seed int64, i int) int {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s\x00%d\x00%d", prompt, seed, i)
	return int(h.Sum64() % uint64(len(words)))
}

// Word is the text of token id.
func Word(id int) string { return words[id] }
