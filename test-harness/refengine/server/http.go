package server

import (
	"crypto/subtle"
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Handler returns the server's HTTP handler.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("POST /completion", s.counted("/completion", s.completion(llama)))
	mux.Handle("POST /completions", s.counted("/completions", s.completion(llama)))
	mux.Handle("POST /v1/completions", s.counted("/v1/completions", s.completion(openAI)))
	mux.Handle("GET /health", s.counted("/health", http.HandlerFunc(s.health)))
	mux.Handle("GET /props", s.counted("/props", http.HandlerFunc(s.props)))
	mux.Handle("POST /admin/ready", s.counted("/admin/ready", http.HandlerFunc(s.setReady)))
	mux.Handle("GET /metrics", promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{}))
	return s.auth(mux)
}

// auth requires the bearer token, when one is set, on all but /health.
func (s *Server) auth(next http.Handler) http.Handler {
	if s.o.AuthToken == "" {
		return next
	}
	want := []byte("Bearer " + s.o.AuthToken)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := []byte(r.Header.Get("Authorization"))
		if r.URL.Path != "/health" && subtle.ConstantTimeCompare(got, want) != 1 {
			writeError(w, http.StatusUnauthorized, "authentication_error", "", "invalid or missing bearer token")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// statusRecorder remembers the status code for the request counter.
type statusRecorder struct {
	http.ResponseWriter
	code int
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.code == 0 {
		r.code = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.code == 0 {
		r.code = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

func (s *Server) counted(endpoint string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w}
		h.ServeHTTP(rec, r)
		if rec.code == 0 {
			rec.code = http.StatusOK
		}
		s.metrics.requests.WithLabelValues(endpoint, strconv.Itoa(rec.code)).Inc()
	})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, code int, typ, field, msg string) {
	var e apiError
	e.Error.Code, e.Error.Type, e.Error.Field, e.Error.Message = code, typ, field, msg
	writeJSON(w, code, e)
}

func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	if !s.ready.Load() {
		writeError(w, http.StatusServiceUnavailable, "unavailable_error", "", "Loading model")
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) setReady(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Ready *bool `json:"ready"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.Ready == nil {
		writeError(w, http.StatusBadRequest, "invalid_request_error", "ready", `body must be {"ready": true|false}`)
		return
	}
	s.ready.Store(*body.Ready)
	writeJSON(w, http.StatusOK, map[string]bool{"ready": *body.Ready})
}

// props describes the engine, as llama.cpp's /props does, plus the versions
// the orchestrator pins and the slot settings determinism depends on.
func (s *Server) props(w http.ResponseWriter, r *http.Request) {
	def, _ := parseRequest([]byte(`{"prompt":""}`), llama)
	var params map[string]any
	b, _ := json.Marshal(s.settings(def, 0))
	json.Unmarshal(b, &params)
	params["seed"] = -1 // random unless the request sets one
	writeJSON(w, http.StatusOK, map[string]any{
		"default_generation_settings": map[string]any{
			"n_ctx":  MaxPredict,
			"params": params,
		},
		"total_slots":             s.o.Parallel,
		"model_path":              "refmodel.bin",
		"build_info":              "refengine " + s.eng.Version(),
		"engine_version":          s.eng.Version(),
		"sampler_profile_version": SamplerProfileVersion,
		"model_digest":            ModelDigest(),
		"slots": map[string]any{
			"parallel":        s.o.Parallel,
			"cont_batching":   s.o.ContBatching,
			"batch_invariant": s.o.BatchInvariant,
			"deterministic":   s.Deterministic(),
		},
		"faults": map[string]any{
			"latency_ms":       s.o.Latency.Milliseconds(),
			"token_latency_ms": s.o.TokenLatency.Milliseconds(),
			"fail_rate":        s.o.FailRate,
			"fail_seed":        s.o.FailSeed,
		},
		"is_ready": s.ready.Load(),
	})
}

func (s *Server) settings(r *request, seed uint64) settings {
	return settings{
		Seed:                  seed,
		Temperature:           r.params.Temperature,
		TopK:                  r.params.TopK,
		TopP:                  r.params.TopP,
		MinP:                  r.params.MinP,
		NPredict:              r.nPredict,
		Stream:                r.stream,
		CachePrompt:           r.cachePrompt,
		Samplers:              samplerChain,
		SamplerProfileVersion: SamplerProfileVersion,
		EngineVersion:         s.eng.Version(),
		ModelDigest:           ModelDigest(),
		Priority:              r.priority,
	}
}
