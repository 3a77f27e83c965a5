package engines

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// PollEvery is how often Wait asks /health.
var PollEvery = 250 * time.Millisecond

// Wait polls GET /health until the engine is ready or within has passed.
// While waiting, an engine that is still loading (llama.cpp answers 503
// "Loading model") or not yet listening is not an error; note, when set,
// hears each answer that is not ready yet.
func (e *Engine) Wait(ctx context.Context, within time.Duration, note func(status string)) error {
	deadline := time.Now().Add(within)
	for {
		hctx, cancel := context.WithTimeout(ctx, min(e.timeout, max(time.Until(deadline), PollEvery)))
		err := e.health(hctx)
		cancel()
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		var he *healthError
		if errors.As(err, &he) && he.status != 503 {
			return err // names the URL and the answer
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("not ready after --wait %v: %w", within, err)
		}
		if note != nil {
			note(err.Error())
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(PollEvery):
		}
	}
}

// healthError is an answer from /health that is neither 200 nor 404.
type healthError struct {
	url    string
	status int
	body   string
}

func (h *healthError) Error() string {
	return fmt.Sprintf("GET %s/health: HTTP %d: %s", h.url, h.status, h.body)
}
