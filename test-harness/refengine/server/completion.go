package server

import (
	"context"
	crand "crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"time"
)

// maxBody bounds a completion request body.
const maxBody = 1 << 20

func (s *Server) completion(d dialect) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.ready.Load() {
			writeError(w, http.StatusServiceUnavailable, "unavailable_error", "", "Loading model")
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		if err != nil {
			writeError(w, http.StatusBadRequest, "invalid_request_error", "body", "unreadable or larger than 1 MiB")
			return
		}
		req, err := parseRequest(body, d)
		if err != nil {
			var fe *fieldError
			errors.As(err, &fe)
			writeError(w, http.StatusBadRequest, "invalid_request_error", fe.field, fe.Error())
			return
		}
		if s.injectFailure() {
			writeError(w, http.StatusInternalServerError, "server_error", "", "injected failure (--fail-rate)")
			return
		}
		if req.random {
			req.seed = randomSeed()
		}
		ctx, cancel := context.WithCancel(r.Context())
		defer cancel()
		stop := context.AfterFunc(s.baseCtx, cancel) // Close ends generation too
		defer stop()
		if err := s.generate(ctx, w, d, req); err != nil {
			s.metrics.cancelled.Inc()
		}
	})
}

// injectFailure draws once from the fail PRNG when a fail rate is set.
func (s *Server) injectFailure() bool {
	if s.o.FailRate <= 0 {
		return false
	}
	s.failMu.Lock()
	u := s.failRng.Float64()
	s.failMu.Unlock()
	if u < s.o.FailRate {
		s.metrics.failures.Inc()
		return true
	}
	return false
}

// randomSeed picks a seed for "seed": -1, in the uint32 range so every
// client can carry it exactly.
func randomSeed() uint64 {
	var b [4]byte
	crand.Read(b[:])
	return uint64(binary.LittleEndian.Uint32(b[:]))
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// generate runs one request on a slot and writes its response. It returns
// an error only when generation stopped early (client gone or shutdown).
func (s *Server) generate(ctx context.Context, w http.ResponseWriter, d dialect, req *request) error {
	if err := sleep(ctx, s.o.Latency); err != nil {
		return err
	}
	slot, err := s.slots.acquire(ctx)
	if err != nil {
		return err
	}
	defer s.slots.release(slot)
	s.metrics.active.Inc()
	defer s.metrics.active.Dec()
	if s.batch != nil {
		s.batch.active.Add(1)
		defer s.batch.active.Add(-1)
	}
	out := newEmitter(w, d, req, slot, s.settings(req, req.seed), s.eng.Version())
	dec := s.eng.NewDecoder(req.tokens, req.params, req.seed)
	start := time.Now()
	for range req.limit() {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := sleep(ctx, s.o.TokenLatency); err != nil {
			return err
		}
		if s.batch != nil {
			if err := s.batch.compute(ctx, dec); err != nil {
				return err
			}
		} else {
			s.eng.Model().Logits(dec.Context(), s.eng.InvariantSplits(), dec.Logits())
		}
		tok := dec.Accept()
		s.metrics.tokens.Inc()
		if err := out.token(tok); err != nil {
			return err
		}
	}
	return out.final(time.Since(start))
}

// newID returns an OpenAI-style completion id.
func newID() string {
	var b [12]byte
	crand.Read(b[:])
	return "cmpl-" + hex.EncodeToString(b[:])
}
