package server

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"orchcore.dev/test-harness/refengine/engine"
	"orchcore.dev/test-harness/refengine/model"
	"orchcore.dev/test-harness/refengine/sampler"
)

// EngineVersion is the built-in engine_version.
const EngineVersion = engine.Version

// SamplerProfileVersion names the sampling algorithm.
const SamplerProfileVersion = sampler.Profile

// ModelDigest returns the sha256 (lowercase hex) of the built-in model file.
func ModelDigest() string { return model.Default().Digest() }

// Options configure a Server. The zero value is one slot, no batching, no
// faults, no auth, the built-in engine version.
type Options struct {
	// Parallel is the number of slots (concurrent generations); 0 means 1.
	Parallel int
	// ContBatching computes the steps of concurrently active slots as one
	// batch (llama.cpp --cont-batching).
	ContBatching bool
	// BatchInvariant keeps the reduction split fixed whatever the batch, so
	// batching cannot change outputs.
	BatchInvariant bool
	// Latency delays every completion request before its first byte.
	Latency time.Duration
	// TokenLatency delays every generated token (chaos: slow streams).
	TokenLatency time.Duration
	// FailRate is the probability in [0,1] that a valid completion request
	// fails with HTTP 500, drawn from a PRNG seeded with FailSeed.
	FailRate float64
	FailSeed uint64
	// AuthToken, when set, is required as a bearer token on every endpoint
	// but /health; Start needs it for a non-loopback address.
	AuthToken string
	// EngineVersion overrides the built-in engine_version; "" keeps it. Any
	// other value is mixed into generation, simulating a different build.
	EngineVersion string
}

// Server is a reference engine instance.
type Server struct {
	o       Options
	eng     *engine.Engine
	slots   *slots
	batch   *batcher // nil unless batching
	metrics *metrics
	ready   atomic.Bool

	failMu  sync.Mutex
	failRng *sampler.Rand

	stop    context.CancelFunc
	baseCtx context.Context

	mu  sync.Mutex
	srv *http.Server
}

// New validates o and returns a server that is ready.
func New(o Options) (*Server, error) {
	if o.Parallel == 0 {
		o.Parallel = 1
	}
	switch {
	case o.Parallel < 1 || o.Parallel > 256:
		return nil, fmt.Errorf("server: parallel %d out of range 1..256", o.Parallel)
	case !(o.FailRate >= 0 && o.FailRate <= 1): // also refuses NaN
		return nil, fmt.Errorf("server: fail rate %v out of range 0..1", o.FailRate)
	case o.Latency < 0 || o.TokenLatency < 0:
		return nil, errors.New("server: latency must not be negative")
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{
		o:       o,
		eng:     engine.New(model.Default(), o.EngineVersion),
		slots:   newSlots(o.Parallel),
		metrics: newMetrics(),
		failRng: sampler.NewRand(o.FailSeed),
		stop:    cancel,
		baseCtx: ctx,
	}
	s.metrics.slotsTotal.Set(float64(o.Parallel))
	if s.batching() {
		s.batch = newBatcher(ctx, s.eng, o.Parallel, o.BatchInvariant, s.metrics)
		go s.batch.run()
	}
	s.ready.Store(true)
	return s, nil
}

// batching reports whether steps of different slots share batches.
func (s *Server) batching() bool { return s.o.ContBatching && s.o.Parallel > 1 }

// Deterministic reports whether outputs are independent of concurrent load.
func (s *Server) Deterministic() bool { return !s.batching() || s.o.BatchInvariant }

// EngineVersion returns this server's engine_version.
func (s *Server) EngineVersion() string { return s.eng.Version() }

// SetReady sets readiness, as POST /admin/ready does.
func (s *Server) SetReady(ready bool) { s.ready.Store(ready) }

// Start listens on addr and serves in the background. It returns the base
// URL, e.g. "http://127.0.0.1:41234". A non-loopback addr needs AuthToken.
func (s *Server) Start(addr string) (string, error) {
	if err := checkBind(addr, s.o.AuthToken); err != nil {
		return "", err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("server: listen %s: %w", addr, err)
	}
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return s.baseCtx },
	}
	s.mu.Lock()
	s.srv = srv
	s.mu.Unlock()
	go srv.Serve(ln)
	return "http://" + ln.Addr().String(), nil
}

// checkBind refuses a non-loopback bind without a token.
func checkBind(addr, token string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("server: address %q: %w", addr, err)
	}
	if token != "" || host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("server: address %q is not loopback; a non-loopback bind requires an auth token (--auth-token)", addr)
}

// Shutdown stops accepting connections and waits for in-flight requests
// until ctx ends; then it cancels generation and closes everything.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	srv := s.srv
	s.mu.Unlock()
	var err error
	if srv != nil {
		err = srv.Shutdown(ctx)
		if err != nil {
			srv.Close()
		}
	}
	s.stop()
	return err
}

// Close cancels in-flight generation and closes the listener and all
// connections.
func (s *Server) Close() error {
	s.stop()
	s.mu.Lock()
	srv := s.srv
	s.mu.Unlock()
	if srv != nil {
		return srv.Close()
	}
	return nil
}
