package provider

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Replica is one started replica.
type Replica struct {
	ID string
	// URL goes through the fault proxy; Direct bypasses it.
	URL, Direct string
	// Token is the bearer token the engine wants ("" for none).
	Token string
}

// Provider starts replicas and injects faults into them.
type Provider interface {
	Name() string
	Start(ctx context.Context) ([]Replica, error)
	// Kill stops a replica at once (SIGKILL); Revive starts it again.
	Kill(ctx context.Context, id string) error
	Revive(ctx context.Context, id string) error
	// Pause freezes a replica (SIGSTOP, docker pause); Resume thaws it.
	Pause(ctx context.Context, id string) error
	Resume(ctx context.Context, id string) error
	// Restart stops a replica gracefully and starts it again.
	Restart(ctx context.Context, id string) error
	// Cut breaks the replica's link (mode blackhole or reset); Uncut
	// heals it.
	Cut(ctx context.Context, id, mode string) error
	Uncut(ctx context.Context, id string) error
	// Slow adds latency (mode latency or trickle); Unslow removes it.
	Slow(ctx context.Context, id, mode string, delay time.Duration) error
	Unslow(ctx context.Context, id string) error
	// SetReady flips readiness through POST /admin/ready.
	SetReady(ctx context.Context, id string, ready bool) error
	// State reports whether the replica runs and whether it is frozen,
	// as the operating system or Docker says, with its instance
	// (pid or container id).
	State(ctx context.Context, id string) (running, paused bool, instance string, err error)
	Replicas() []Replica
	Close() error
}

// Options are what both providers take.
type Options struct {
	// N is the number of replicas; Slots the --parallel of each.
	N, Slots int
	// TokenLatency is each replica's --token-latency.
	TokenLatency time.Duration
	// Token, when set, is the engines' bearer token.
	Token string
}

// setReady posts {"ready": b} to url/admin/ready.
func setReady(ctx context.Context, url, token string, b bool) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url+"/admin/ready", strings.NewReader(fmt.Sprintf(`{"ready":%v}`, b)))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("POST %s/admin/ready: %w", url, err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("POST %s/admin/ready: HTTP %d", url, resp.StatusCode)
	}
	return nil
}

// WaitHealthy polls url/health until it answers 200 or ctx ends.
func WaitHealthy(ctx context.Context, url string) error {
	for {
		rctx, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
		req, _ := http.NewRequestWithContext(rctx, http.MethodGet, url+"/health", nil)
		resp, err := http.DefaultClient.Do(req)
		cancel()
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s/health: not healthy: %w", url, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}
