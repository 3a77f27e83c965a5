package fault

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"

	"orchcore.dev/test-harness/chaos/history"
	"orchcore.dev/test-harness/chaos/provider"
)

// Injector runs a timeline against a provider.
type Injector struct {
	P provider.Provider
	// Rec records each fault event.
	Rec func(history.Record)
	// Start is the run's time origin.
	Start time.Time
	// SlowDelay is the latency of slow faults (default 300 ms).
	SlowDelay time.Duration
	// Token is the engines' bearer token, if any.
	Token string

	mu     sync.Mutex
	active *Fault
}

// Run injects every fault at its time, verifies it, heals it at its end,
// and returns when the timeline is done or ctx ends (healing the active
// fault first).
func (in *Injector) Run(ctx context.Context, plan []Fault) {
	for i := range plan {
		f := plan[i]
		if !in.sleepUntil(ctx, f.StartMs) {
			return
		}
		in.inject(ctx, f)
		if !in.sleepUntil(ctx, f.StartMs+f.DurationMs) {
			in.HealAll()
			return
		}
		in.HealAll()
	}
}

func (in *Injector) sleepUntil(ctx context.Context, ms int64) bool {
	d := time.Until(in.Start.Add(time.Duration(ms) * time.Millisecond))
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

func (in *Injector) rec(f Fault, ev string, ok *bool, detail string) {
	in.Rec(history.Record{Type: history.KindFault, Event: ev, Fault: f.ID, Kind: f.Kind, Replica: f.Target, OK: ok, Detail: detail})
}

func (in *Injector) inject(ctx context.Context, f Fault) {
	p := in.P
	var err error
	in.rec(f, history.FaultStart, nil, f.Mode)
	switch f.Kind {
	case Kill:
		err = p.Kill(ctx, f.Target)
	case Pause:
		err = p.Pause(ctx, f.Target)
	case Cut:
		err = p.Cut(ctx, f.Target, f.Mode)
	case Slow:
		err = p.Slow(ctx, f.Target, f.Mode, in.slow())
	case Restart:
		err = p.Restart(ctx, f.Target)
	case Flap:
		err = p.SetReady(ctx, f.Target, false)
	default:
		err = fmt.Errorf("unknown kind %q", f.Kind)
	}
	in.mu.Lock()
	in.active = &f
	in.mu.Unlock()
	if err != nil {
		in.rec(f, history.FaultVerify, history.Bool(false), "injection failed: "+err.Error())
		return
	}
	// A signal or a link change takes a moment to show: look again for
	// up to two seconds before calling the fault a no-op.
	deadline := time.Now().Add(2 * time.Second)
	ok, detail := in.verify(ctx, f)
	for !ok && time.Now().Before(deadline) && ctx.Err() == nil {
		time.Sleep(20 * time.Millisecond)
		ok, detail = in.verify(ctx, f)
	}
	in.rec(f, history.FaultVerify, history.Bool(ok), detail)
}

func (in *Injector) slow() time.Duration {
	if in.SlowDelay > 0 {
		return in.SlowDelay
	}
	return 300 * time.Millisecond
}

// HealAll heals the active fault, if any, and records its end.
func (in *Injector) HealAll() {
	in.mu.Lock()
	f := in.active
	in.active = nil
	in.mu.Unlock()
	if f == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	p := in.P
	var err error
	switch f.Kind {
	case Kill:
		err = p.Revive(ctx, f.Target)
	case Pause:
		err = p.Resume(ctx, f.Target)
	case Cut:
		err = p.Uncut(ctx, f.Target)
	case Slow:
		err = p.Unslow(ctx, f.Target)
	case Flap:
		err = p.SetReady(ctx, f.Target, true)
	}
	detail := "healed"
	if err != nil {
		detail = "heal failed: " + err.Error()
	}
	in.rec(*f, history.FaultEnd, nil, detail)
}

// verify checks that f took effect (OC-CHAOS-8007).
func (in *Injector) verify(ctx context.Context, f Fault) (bool, string) {
	p := in.P
	var r provider.Replica
	for _, x := range p.Replicas() {
		if x.ID == f.Target {
			r = x
		}
	}
	running, paused, inst, err := p.State(ctx, f.Target)
	if err != nil {
		return false, "state: " + err.Error()
	}
	switch f.Kind {
	case Kill:
		if running {
			return false, "still running as " + inst
		}
		if code, _, err := in.health(ctx, r.URL, 300*time.Millisecond); err == nil {
			return false, fmt.Sprintf("killed, yet /health answered %d", code)
		}
		return true, "process gone; /health fails"
	case Pause:
		if !paused {
			return false, fmt.Sprintf("not stopped (running %v)", running)
		}
		if code, _, err := in.health(ctx, r.Direct, 300*time.Millisecond); err == nil {
			return false, fmt.Sprintf("stopped, yet /health answered %d", code)
		}
		return true, "stopped (" + inst + "); /health hangs"
	case Cut:
		if code, _, err := in.health(ctx, r.URL, 300*time.Millisecond); err == nil {
			return false, fmt.Sprintf("a request through the cut link answered %d", code)
		}
		return true, f.Mode + ": requests through the link fail or hang"
	case Slow:
		_, d, err := in.health(ctx, r.URL, 10*time.Second)
		if err != nil {
			return false, "slow link failed: " + err.Error()
		}
		if d < in.slow()*8/10 {
			return false, fmt.Sprintf("/health took %v, want at least %v", d, in.slow()*8/10)
		}
		return true, fmt.Sprintf("%s: /health took %v", f.Mode, d.Round(time.Millisecond))
	case Restart:
		code, _, err := in.health(ctx, r.URL, 2*time.Second)
		if !running || err != nil || code != http.StatusOK {
			return false, fmt.Sprintf("after restart: running %v, /health %d %v", running, code, err)
		}
		return true, "restarted as " + inst + "; /health 200"
	case Flap:
		code, _, err := in.health(ctx, r.Direct, 2*time.Second)
		if err != nil || code != http.StatusServiceUnavailable {
			return false, fmt.Sprintf("after ready=false /health gave %d %v, want 503", code, err)
		}
		return true, "/health 503 (not ready)"
	}
	return false, "unknown kind"
}

func (in *Injector) health(ctx context.Context, url string, timeout time.Duration) (int, time.Duration, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url+"/health", nil)
	if err != nil {
		return 0, 0, err
	}
	start := time.Now()
	c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := c.Do(req)
	if err != nil {
		return 0, time.Since(start), err
	}
	resp.Body.Close()
	return resp.StatusCode, time.Since(start), nil
}
