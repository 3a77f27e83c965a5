package runner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"orchcore.dev/contracts/config-schema/config"
	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/observe"
	"orchcore.dev/orchestrator-core/scheduling"

	"orchcore.dev/test-harness/chaos/check"
	"orchcore.dev/test-harness/chaos/dispatch"
	"orchcore.dev/test-harness/chaos/fault"
	"orchcore.dev/test-harness/chaos/history"
	"orchcore.dev/test-harness/chaos/load"
	"orchcore.dev/test-harness/chaos/provider"
	"orchcore.dev/test-harness/chaos/report"
)

// Options are `chaos run`'s flags.
type Options struct {
	Provider      string
	Replicas      int
	Slots         int
	Duration      time.Duration
	Faults        []string
	FaultDuration time.Duration
	Rounds        int
	Fairness      string // "" keeps the configuration's
	Rate          float64
	Seed          uint64
	ConfigFile    string
	Out           string
	TokenLatency  time.Duration
	Drain         time.Duration
	EngineBin     string
	// Image is the container provider's image (default
	// provider.DefaultImage).
	Image string
	// MetricsAddr, when set, serves the promexport exporter's /metrics
	// there during the run.
	MetricsAddr string
	CancelRate  float64
	Thresholds  history.Thresholds
	Command     []string
	// NewProvider, when set, replaces the provider named by Provider
	// (tests use it).
	NewProvider func(o Options) (provider.Provider, error)
}

// Plan is what the seed fixes before anything starts.
type Plan struct {
	Seed          uint64        `json:"seed"`
	Arrivals      int           `json:"arrivals"`
	ArrivalDigest string        `json:"arrival_digest"`
	Faults        []fault.Fault `json:"faults"`
	// arrivals is the plan itself.
	arrivals []load.Arrival
}

// Result is what a run produced.
type Result struct {
	Dir        string
	Verdicts   []check.Verdict
	Incomplete bool
	Report     *report.Report
}

// setup is the validated run: config, classes and the plan.
type setup struct {
	o       Options
	cfg     *config.Config
	pool    config.Pool
	classes []history.Class
	retry   history.Retry
	plan    Plan
	ids     []string
}

func prepare(o Options) (*setup, error) {
	switch {
	case o.Provider != "process" && o.Provider != "container" && o.NewProvider == nil:
		return nil, fmt.Errorf("unknown provider %q (want process or container)", o.Provider)
	case o.Replicas < 1:
		return nil, fmt.Errorf("--replicas must be at least 1, got %d", o.Replicas)
	case o.Slots < 1:
		return nil, fmt.Errorf("--slots must be at least 1, got %d", o.Slots)
	case o.Duration <= 0:
		return nil, fmt.Errorf("--duration must be above 0, got %v", o.Duration)
	case !(o.Rate > 0):
		return nil, fmt.Errorf("--rate must be above 0, got %v", o.Rate)
	case o.Fairness != "" && o.Fairness != "weighted" && o.Fairness != "strict":
		return nil, fmt.Errorf("unknown fairness policy %q (want weighted or strict)", o.Fairness)
	}
	cfg, err := loadConfig(o.ConfigFile)
	if err != nil {
		return nil, err
	}
	s := &setup{o: o, cfg: cfg, pool: cfg.Pools[0]}
	if o.Fairness != "" {
		cfg.Pools[0].Fairness = o.Fairness
		s.pool.Fairness = o.Fairness
	}
	var shares []load.Class
	for _, c := range cfg.Classes() {
		s.classes = append(s.classes, history.Class{Name: c.Name, Rank: c.Rank, Weight: c.Weight})
		shares = append(shares, load.Class{Name: c.Name, Share: 1})
	}
	attempts := cfg.Retry.MaxAttempts
	if attempts == 0 {
		attempts = core.DefaultMaxAttempts
	}
	s.retry = history.Retry{BaseMs: cfg.Retry.BaseMs, CapMs: cfg.Retry.CapMs, MaxAttempts: attempts, Seed: cfg.Retry.JitterSeed}
	for i := range o.Replicas {
		s.ids = append(s.ids, fmt.Sprintf("r%d", i))
	}
	loadMs := o.Duration.Milliseconds()
	arr, err := load.Plan(load.Spec{Seed: o.Seed, DurationMs: loadMs, Rate: o.Rate, Classes: shares,
		BurstEveryMs: 4000, BurstMs: 1000, BurstFactor: 2, Tenants: 4, Sessions: 16,
		PromptMin: 8, PromptMax: 64, NPredictMin: 4, NPredictMax: 12,
		CancelRate: o.CancelRate, RaceFraction: 0.5, CancelMaxMs: 300})
	if err != nil {
		return nil, err
	}
	faults, err := fault.Plan(o.Seed, o.Faults, s.ids, loadMs, o.FaultDuration.Milliseconds(), max(o.Rounds, 1))
	if err != nil {
		return nil, err
	}
	s.plan = Plan{Seed: o.Seed, Arrivals: len(arr), ArrivalDigest: load.Digest(arr), Faults: faults, arrivals: arr}
	return s, nil
}

// MakePlan validates o and returns its plan without starting anything.
func MakePlan(o Options) (Plan, error) {
	s, err := prepare(o)
	if err != nil {
		return Plan{}, err
	}
	return s.plan, nil
}

// UsageError is a problem with the options or inputs (exit 2).
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

// Run runs the whole chaos run. progress, when not nil, gets a progress
// line now and then. An error means no verdict could be reached.
func Run(ctx context.Context, o Options, progress io.Writer) (*Result, error) {
	s, err := prepare(o)
	if err != nil {
		return nil, &UsageError{err}
	}
	if err := os.MkdirAll(o.Out, 0o755); err != nil {
		return nil, fmt.Errorf("--out: %w", err)
	}
	if o.Provider == "process" && o.EngineBin == "" && o.NewProvider == nil {
		dir, err := os.MkdirTemp("", "chaos-engine-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(dir)
		if o.EngineBin, err = BuildEngine(ctx, dir); err != nil {
			return nil, err
		}
	}
	var p provider.Provider
	if o.NewProvider != nil {
		p, err = o.NewProvider(o)
	} else {
		p, err = newProvider(ctx, o)
	}
	if err != nil {
		return nil, err
	}
	defer p.Close()
	reps, err := p.Start(ctx)
	if err != nil {
		return nil, fmt.Errorf("%s provider: %w", p.Name(), err)
	}
	return s.run(ctx, p, reps, progress)
}

func (s *setup) header(p provider.Provider) *history.Header {
	return &history.Header{
		Version: history.HeaderVersion, Seed: s.o.Seed, Command: s.o.Command, Provider: p.Name(),
		Fairness: s.pool.FairnessPolicy(), Classes: s.classes, Retry: s.retry, Replicas: s.ids,
		DurationMs: s.o.Duration.Milliseconds(), DrainMs: s.o.Drain.Milliseconds(), Rate: s.o.Rate,
		Thresholds: s.o.Thresholds, ExpectStarvation: s.pool.FairnessPolicy() == "strict",
		Plan: map[string]any{"seed": s.plan.Seed, "arrivals": s.plan.Arrivals, "arrival_digest": s.plan.ArrivalDigest, "faults": s.plan.Faults},
	}
}

type clock struct{ start time.Time }

func (c clock) Now() int64 { return time.Since(c.start).Milliseconds() }

func (s *setup) run(ctx context.Context, p provider.Provider, reps []provider.Replica, progress io.Writer) (*Result, error) {
	// Wait for every replica before the clock starts.
	wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	for _, r := range reps {
		if err := provider.WaitHealthy(wctx, r.URL); err != nil {
			cancel()
			return nil, err
		}
	}
	cancel()
	start := time.Now()
	hpath := filepath.Join(s.o.Out, "history.jsonl")
	w, err := history.Create(hpath, start)
	if err != nil {
		return nil, err
	}
	defer w.Close()
	w.Add(history.Record{Type: history.KindRun, Header: s.header(p)})

	obs := observe.Func(func(e observe.Event) {
		if r, ok := history.FromEvent(e); ok {
			w.Add(r)
		}
	})
	var observer observe.Observer = obs
	var samples observe.Observer
	if s.o.MetricsAddr != "" {
		x, stop, err := serveMetrics(s.o.MetricsAddr, progress)
		if err != nil {
			return nil, err
		}
		defer stop()
		observer, samples = observe.Multi{obs, x}, x
	}
	pool, err := core.FromConfig(s.cfg, s.pool.ID, core.WithClock(clock{start}), core.WithObserver(observer))
	if err != nil {
		return nil, &UsageError{fmt.Errorf("pool: %w", err)}
	}
	var dr []dispatch.Replica
	for _, r := range reps {
		e := &dispatch.HTTPEngine{URL: r.URL, Prompt: prompt, Stall: time.Second, Token: r.Token}
		dr = append(dr, dispatch.Replica{ID: r.ID, Engine: e, Probe: e, Slots: s.o.Slots})
	}
	d := dispatch.New(dispatch.Config{
		Pool: pool, Replicas: dr, ModelID: s.pool.ModelID, Engine: s.pool.Engine,
		OnObserve: func(id, o, why string) {
			w.Add(history.Record{Type: history.KindReplica, Event: o, Replica: id, Detail: why})
		},
		OnNext:  func() { w.Add(history.Record{Type: history.KindNext}) },
		Samples: samples,
		Preempt: s.cfg.Placement.Preemption.Enabled,
		OnAbort: func(task, why string) {
			w.Add(history.Record{Type: history.KindClient, Event: "abort", Task: task, Reason: why})
		},
	})
	runCtx, stopRun := context.WithCancel(ctx)
	defer stopRun()
	d.Start(runCtx)

	inj := &fault.Injector{P: p, Rec: func(r history.Record) { w.Add(r) }, Start: start}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); inj.Run(runCtx, s.plan.Faults) }()
	var cancels sync.WaitGroup
	go func() { defer wg.Done(); s.drive(runCtx, start, pool, d, w, &cancels) }()
	stopProgress := s.progress(progress, start, pool, d)
	wg.Wait()
	inj.HealAll()
	cancels.Wait()

	drained, interrupted := s.drain(ctx, pool)
	d.Stop()
	stopProgress()
	end := history.Record{Type: history.KindEnd, Drained: drained, Incomplete: interrupted}
	for _, c := range pool.Stats().Classes {
		end.Stats = append(end.Stats, history.ClassCount{Class: c.Class, Admitted: c.Admitted, Dispatched: c.Dispatched, Share: c.DispatchShare})
	}
	w.Add(end)
	if err := w.Close(); err != nil {
		return nil, err
	}
	if err := p.Close(); err != nil && progress != nil {
		fmt.Fprintf(progress, "chaos: stopping replicas: %v\n", err)
	}
	h, err := history.ReadFile(hpath)
	if err != nil {
		return nil, err
	}
	vs := check.All(h)
	rep := report.Build(h, vs)
	if err := report.WriteAll(s.o.Out, rep); err != nil {
		return nil, err
	}
	return &Result{Dir: s.o.Out, Verdicts: vs, Incomplete: interrupted, Report: rep}, nil
}

// drive admits the planned arrivals at their times and issues the
// planned client cancels.
func (s *setup) drive(ctx context.Context, start time.Time, pool *core.Pool, d *dispatch.Dispatcher, w *history.Writer, cancels *sync.WaitGroup) {
	cancel := func(id string) {
		res, err := d.Cancel(id)
		r := history.Record{Type: history.KindClient, Event: "cancel", Task: id, Result: res.String()}
		if err != nil {
			r.Result = string(core.CodeOf(err))
		}
		w.Add(r)
	}
	for _, a := range s.plan.arrivals {
		if wait := time.Until(start.Add(time.Duration(a.AtMs) * time.Millisecond)); wait > 0 {
			t := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				t.Stop()
				return
			case <-t.C:
			}
		}
		_, err := pool.Admit(core.Task{ID: a.ID, Class: a.Class, Tenant: a.Tenant, SessionID: a.Session,
			Model: scheduling.Request{ModelID: s.pool.ModelID}, PromptTokens: int64(a.Prompt), MaxNewTokens: int64(a.NPredict)})
		if err != nil {
			continue
		}
		d.Kick()
		switch {
		case a.CancelAfterMs == 0:
			cancels.Add(1)
			go func() { defer cancels.Done(); cancel(a.ID) }() // races the dispatch
		case a.CancelAfterMs > 0:
			cancels.Add(1)
			time.AfterFunc(time.Duration(a.CancelAfterMs)*time.Millisecond, func() { defer cancels.Done(); cancel(a.ID) })
		}
	}
	// Wait out the load phase even when the arrivals end early.
	if wait := time.Until(start.Add(s.o.Duration)); wait > 0 {
		select {
		case <-ctx.Done():
		case <-time.After(wait):
		}
	}
}

// drain waits until no task is queued, running or waiting for a retry.
func (s *setup) drain(ctx context.Context, pool *core.Pool) (drained, interrupted bool) {
	deadline := time.Now().Add(s.o.Drain)
	for {
		st := pool.Stats()
		if st.Queued+st.InFlight+st.Retrying == 0 {
			return true, ctx.Err() != nil
		}
		if ctx.Err() != nil {
			return false, true
		}
		if time.Now().After(deadline) {
			return false, false
		}
		select {
		case <-ctx.Done():
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func (s *setup) progress(w io.Writer, start time.Time, pool *core.Pool, d *dispatch.Dispatcher) func() {
	if w == nil {
		return func() {}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-done:
				fmt.Fprintln(w)
				return
			case <-t.C:
				st := pool.Stats()
				fmt.Fprintf(w, "\r%5.1fs dispatched %d, in flight %d, queued %d, retrying %d   ",
					time.Since(start).Seconds(), d.Dispatched(), st.InFlight, st.Queued, st.Retrying)
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

// prompt is a job's prompt: its task id repeated to the planned length.
func prompt(j *core.Job) string {
	n := int(j.Task.PromptTokens)
	id := j.Task.ID + " "
	return strings.Repeat(id, n/len(id)+1)[:n]
}

func newProvider(ctx context.Context, o Options) (provider.Provider, error) {
	po := provider.Options{N: o.Replicas, Slots: o.Slots, TokenLatency: o.TokenLatency}
	switch o.Provider {
	case "process":
		if o.EngineBin == "" {
			return nil, errors.New("process provider: no engine binary")
		}
		return &provider.Process{Bin: o.EngineBin, Options: po}, nil
	case "container":
		c, err := provider.NewContainer(ctx, po)
		if err != nil {
			return nil, err
		}
		if o.Image != "" {
			c.Image = o.Image
		}
		return c, nil
	}
	return nil, &UsageError{errors.New("unknown provider " + o.Provider)}
}
