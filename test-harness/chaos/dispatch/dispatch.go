package dispatch

import (
	"cmp"
	"context"
	"sync"
	"time"

	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/observe"
	"orchcore.dev/orchestrator-core/scheduling"
)

// Observations reported through Config.OnObserve.
const (
	ObsDown     = "down"
	ObsNotReady = "not_ready"
	ObsReady    = "ready"
)

// Replica is one engine replica the dispatcher may place jobs on.
type Replica struct {
	ID     string
	Engine Engine
	// Probe, when not nil, is polled every Config.ProbeEvery. A replica
	// without a probe is Ready from the start with Slots slots.
	Probe Probe
	Slots int
	// EngineVersion and SamplerProfile are the versions of a replica
	// without a probe (a probe reads them from /props); empty means
	// "in-process".
	EngineVersion, SamplerProfile string
}

// Config configures a Dispatcher.
type Config struct {
	Pool     *core.Pool
	Replicas []Replica
	// ModelID and Engine are what the snapshot says each replica serves;
	// tasks must ask for this model. Engine defaults to "refengine".
	ModelID, Engine string
	// ProbeEvery and ProbeTimeout pace and bound the probes (defaults
	// 100 ms and 400 ms).
	ProbeEvery, ProbeTimeout time.Duration
	// TickEvery paces Tick and due retries while work is pending
	// (default 20 ms).
	TickEvery time.Duration
	// OnObserve, when set, is called with each change of a replica's
	// observed state, under the dispatcher's lock.
	OnObserve func(replica, obs, cause string)
	// OnNext, when set, is called before every Pool.Next, under the lock.
	OnNext func()
	// OnAbort is called when the dispatcher stops a job's stream because
	// the pool ended it (a cancel or a timeout).
	OnAbort func(task, why string)
	// Samples, when set, receives a Replica event per probe with the
	// replica's slot utilization (the promexport exporter takes it).
	Samples observe.Observer
	// Preempt says the pool may preempt (OC-CORE-1057): Next is then
	// called even when no Ready replica has a free slot, so that a
	// blocked head can have a lower-ranked job aborted, but never while
	// an aborted job's stream has not yet given its slot back (the
	// snapshot would still show the slot taken and the pool would
	// preempt again for the same head).
	Preempt bool
}

type rstate struct {
	r      Replica
	known  bool // observed at least once
	ready  bool
	slots  int
	active int
	status Status
	obs    string // the last observation reported
}

func (s *rstate) lastObs() string { return s.obs }

type job struct {
	cancel  context.CancelFunc
	replica string
	ended   bool // the pool ended it; the goroutine must not report
	// preempted: ended by a preemption; its slot is pending until the
	// goroutine returns.
	preempted bool
}

// Dispatcher runs the dispatch loop of one pool.
type Dispatcher struct {
	cfg  Config
	wake chan struct{}
	mu   struct {
		sync.Mutex
		reps  []*rstate
		byID  map[string]*rstate
		jobs  map[string]*job
		snap  []scheduling.Replica
		count int
		// pending counts preempted jobs whose streams have not returned.
		pending int
	}
	wg      sync.WaitGroup
	stopped chan struct{}
	cancel  context.CancelFunc
}

// New returns a dispatcher; Start runs it.
func New(cfg Config) *Dispatcher {
	if cfg.ProbeEvery <= 0 {
		cfg.ProbeEvery = 100 * time.Millisecond
	}
	if cfg.ProbeTimeout <= 0 {
		cfg.ProbeTimeout = 400 * time.Millisecond
	}
	cfg.Engine = cmp.Or(cfg.Engine, "refengine")
	if cfg.TickEvery <= 0 {
		cfg.TickEvery = 20 * time.Millisecond
	}
	d := &Dispatcher{cfg: cfg, wake: make(chan struct{}, 1), stopped: make(chan struct{})}
	d.mu.byID = map[string]*rstate{}
	d.mu.jobs = map[string]*job{}
	for _, r := range cfg.Replicas {
		s := &rstate{r: r, slots: max(r.Slots, 1)}
		if r.Probe == nil {
			s.known, s.ready, s.obs = true, true, ObsReady
			s.status.EngineVersion = cmp.Or(r.EngineVersion, "in-process")
			s.status.SamplerProfile = cmp.Or(r.SamplerProfile, "in-process")
		}
		d.mu.reps = append(d.mu.reps, s)
		d.mu.byID[r.ID] = s
	}
	return d
}

// Start runs the loop and the probes until ctx ends or Stop is called.
func (d *Dispatcher) Start(ctx context.Context) {
	ctx, d.cancel = context.WithCancel(ctx)
	for _, s := range d.mu.reps {
		if s.r.Probe != nil {
			d.wg.Add(1)
			go d.probe(ctx, s)
		}
	}
	go d.loop(ctx)
}

// Stop ends the loop, aborts the streams of running jobs (they are left
// to the pool: the caller drains or cancels) and waits for every goroutine.
func (d *Dispatcher) Stop() {
	d.cancel()
	<-d.stopped
	d.wg.Wait()
}

// Kick wakes the loop (after an admission).
func (d *Dispatcher) Kick() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// Cancel cancels task id on the pool and, when its job was running, stops
// the stream.
func (d *Dispatcher) Cancel(id string) (core.CancelResult, error) {
	res, err := d.cfg.Pool.Cancel(id)
	if err == nil && res == core.AbortedJob {
		d.abort(id, "canceled")
	}
	return res, err
}

// InFlight is the number of jobs running.
func (d *Dispatcher) InFlight() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.mu.jobs)
}

// Dispatched is the number of jobs started so far.
func (d *Dispatcher) Dispatched() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.mu.count
}

func (d *Dispatcher) abort(id, why string) {
	d.mu.Lock()
	j := d.mu.jobs[id]
	if j != nil && !j.ended {
		j.ended = true
		j.cancel()
	}
	d.mu.Unlock()
	if j == nil {
		why += " (its stream had already ended)"
	}
	if d.cfg.OnAbort != nil {
		d.cfg.OnAbort(id, why)
	}
}

func (d *Dispatcher) loop(ctx context.Context) {
	defer close(d.stopped)
	t := time.NewTimer(d.cfg.TickEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			d.mu.Lock()
			for _, j := range d.mu.jobs {
				j.cancel()
			}
			d.mu.Unlock()
			return
		case <-d.wake:
		case <-t.C:
			for _, e := range d.cfg.Pool.Tick() {
				d.abort(e.TaskID, "timed_out_"+string(e.Kind))
			}
			t.Reset(d.cfg.TickEvery)
		}
		d.dispatch(ctx)
	}
}

// dispatch places jobs until Next places nothing. A preemption
// (OC-CORE-1057) stops the aborted job's stream and ends the round: the
// freed slot shows in the snapshot once the stream's goroutine has
// returned, and that goroutine kicks the next round.
func (d *Dispatcher) dispatch(ctx context.Context) {
	var preempted string
	defer func() { // after the unlock below
		if preempted != "" && d.cfg.OnAbort != nil {
			d.cfg.OnAbort(preempted, "preempted")
		}
	}()
	d.mu.Lock()
	defer d.mu.Unlock()
	for ctx.Err() == nil && (d.freeLocked() || d.cfg.Preempt && d.mu.pending == 0) {
		if d.cfg.OnNext != nil {
			d.cfg.OnNext()
		}
		res, ok := d.cfg.Pool.Next(scheduling.Snapshot{Replicas: d.snapshotLocked()})
		if !ok {
			switch res.Outcome {
			case core.Refused:
				continue
			case core.Preempted:
				if j := d.mu.jobs[res.TaskID]; j != nil && !j.ended {
					j.ended, j.preempted = true, true // its stream ends without Complete or Fail
					d.mu.pending++
					j.cancel()
				}
				preempted = res.TaskID
			}
			return
		}
		s := d.mu.byID[res.Job.Replica]
		s.active++
		d.mu.count++
		jctx, cancel := context.WithCancel(ctx)
		// Keyed by task: a preempted task may run again (a new job) while
		// its old stream is still ending; each goroutine keeps its own.
		jb := &job{cancel: cancel, replica: s.r.ID}
		d.mu.jobs[res.Job.Task.ID] = jb
		d.wg.Add(1)
		go d.run(jctx, s, res.Job, jb)
	}
}

// streaming is every replica's feature list; the pool only reads it.
var streaming = []string{scheduling.FeatureStreaming}

// freeLocked reports whether some Ready replica has a free slot: without
// one Next cannot place anything, so it is not called.
func (d *Dispatcher) freeLocked() bool {
	for _, s := range d.mu.reps {
		if s.known && s.ready && s.active < s.slots {
			return true
		}
	}
	return false
}

func (d *Dispatcher) snapshotLocked() []scheduling.Replica {
	out := d.mu.snap[:0]
	for _, s := range d.mu.reps {
		if !s.known {
			continue
		}
		out = append(out, scheduling.Replica{
			ID: s.r.ID, PoolID: d.cfg.Pool.ID(), Engine: d.cfg.Engine,
			EngineVersion: s.status.EngineVersion, SamplerProfileVersion: s.status.SamplerProfile,
			ModelID: d.cfg.ModelID, ModelDigest: s.status.ModelDigest,
			Ready: s.ready, ActiveSlots: s.active, SlotsTotal: s.slots,
			CtxMaxSupported: s.status.CtxMax, Features: streaming,
		})
	}
	d.mu.snap = out
	return out
}

// run streams job j (the dispatcher's record jb) and reports it. Once the
// pool ended the job (jb.ended), nothing more is reported for it: not a
// late token, not its end; the task may already run again as a new job.
func (d *Dispatcher) run(ctx context.Context, s *rstate, j core.Job, jb *job) {
	defer d.wg.Done()
	id := j.Task.ID
	err := s.r.Engine.Run(ctx, &j, func(n int) {
		d.mu.Lock()
		defer d.mu.Unlock()
		if !jb.ended { // under the lock Next and aborts take too
			d.cfg.Pool.Token(id, n)
		}
	})
	d.mu.Lock()
	ended := jb.ended || ctx.Err() != nil
	if d.mu.jobs[id] == jb {
		delete(d.mu.jobs, id)
	}
	s.active--
	if jb.preempted {
		d.mu.pending--
	}
	obs := ""
	c := ""
	if err != nil && !ended {
		c, obs = cause(err)
		if obs != "" {
			d.observeLocked(s, obs, err.Error())
		}
	}
	d.mu.Unlock()
	jb.cancel()
	switch {
	case ended:
	case err == nil:
		d.cfg.Pool.Complete(id)
	default:
		d.cfg.Pool.Fail(id, c)
	}
	d.Kick()
}

// observeLocked moves s to the observed state and reports a change.
func (d *Dispatcher) observeLocked(s *rstate, obs, why string) {
	ready := obs == ObsReady
	changed := !s.known || s.ready != ready || (obs != ObsReady && s.lastObs() != obs)
	s.known, s.ready = true, ready
	s.status.Active = -1
	if changed {
		s.obs = obs
		if d.cfg.OnObserve != nil {
			d.cfg.OnObserve(s.r.ID, obs, why)
		}
	}
}
