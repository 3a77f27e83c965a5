package suite

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"orchcore.dev/test-harness/determinism-suite/corpus"
	"orchcore.dev/test-harness/determinism-suite/drift"
	"orchcore.dev/test-harness/determinism-suite/transcript"
)

// Request is one completion the suite asks a replica for.
type Request struct {
	Prompt string
	Seed   uint64
	Params transcript.Params
}

// Replica produces a token stream for a request.
type Replica interface {
	Complete(ctx context.Context, r Request) (transcript.Stream, error)
}

// Target is a replica and the URL it is reached at (for reports).
type Target struct {
	URL     string
	Replica Replica
}

// Case is one (prompt, seed). Want, when set, is the recorded baseline.
type Case struct {
	PromptID string
	Prompt   string
	Seed     uint64
	Want     *transcript.Stream
}

// Progress is reported after each finished case.
type Progress struct {
	Done, Total, Divergent int
}

// Config is one suite run.
type Config struct {
	Targets     []Target
	Cases       []Case
	Params      transcript.Params
	Concurrency int // requests in flight; at least 1
	Width       int // tokens of context and continuation in a drift; default 4
	Progress    func(Progress)
}

// Divergence is one stream that differs from its case's baseline.
type Divergence struct {
	Seed     uint64 `json:"seed"`
	PromptID string `json:"prompt_id"`
	Prompt   string `json:"prompt"`
	// Baseline is "replica 0" in a run or "transcript" in a replay.
	Baseline    string `json:"baseline"`
	BaselineURL string `json:"baseline_url,omitempty"`
	Replica     int    `json:"replica"`
	URL         string `json:"url"`
	drift.Drift
}

// Unproven is a stream that matched its baseline on everything both
// showed, but whose ids or text are not all known: it cannot be counted
// byte-exact.
type Unproven struct {
	Seed     uint64 `json:"seed"`
	PromptID string `json:"prompt_id"`
	Replica  int    `json:"replica"`
	URL      string `json:"url"`
	// Of is "replica", "baseline" or "both": whose stream is not known.
	Of  string `json:"of"`
	Why string `json:"why"`
}

// Result is what a run found. After an error it holds what finished
// before the run stopped: the completed trials in case order, the streams
// received and the divergences in those trials.
type Result struct {
	Trials          []transcript.Trial
	Streams         int // streams received, including those of unfinished trials
	Divergences     []Divergence
	DivergentTrials int
	// Unproven lists streams that are neither divergent nor provably
	// byte-exact; IncompleteTrials counts the trials with one and no
	// divergence.
	Unproven         []Unproven
	IncompleteTrials int
	// UniqueOutputs counts distinct streams per case (baseline included),
	// summed over cases: equal to len(Trials) when all are byte-exact.
	UniqueOutputs int
}

// EngineError is a replica that could not be asked or answered badly.
type EngineError struct {
	URL string
	Err error
}

// Error names the URL once: a message that already names it (as the
// client's do) is not prefixed again.
func (e *EngineError) Error() string {
	if strings.Contains(e.Err.Error(), e.URL) {
		return e.Err.Error()
	}
	return fmt.Sprintf("engine %s: %v", e.URL, e.Err)
}
func (e *EngineError) Unwrap() error { return e.Err }

// Cross builds the cases of a run: every prompt with every seed, prompts
// outermost.
func Cross(prompts []corpus.Prompt, seeds []uint64) []Case {
	out := make([]Case, 0, len(prompts)*len(seeds))
	for _, p := range prompts {
		for _, s := range seeds {
			out = append(out, Case{PromptID: p.ID, Prompt: p.Text, Seed: s})
		}
	}
	return out
}

// Run sends every case to every target and compares the streams.
func Run(ctx context.Context, cfg Config) (Result, error) {
	if len(cfg.Targets) == 0 {
		return Result{}, fmt.Errorf("suite: no replicas")
	}
	if cfg.Width <= 0 {
		cfg.Width = 4
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)

	nr := len(cfg.Targets)
	streams := make([][]transcript.Stream, len(cfg.Cases))
	for i := range streams {
		streams[i] = make([]transcript.Stream, nr)
	}
	var (
		mu        sync.Mutex
		pending   = make([]int, len(cfg.Cases))
		done      int
		divergent int
		trials    = make([]transcript.Trial, len(cfg.Cases))
		divsOf    = make([][]Divergence, len(cfg.Cases))
		unpOf     = make([][]Unproven, len(cfg.Cases))
		partial   int
		unique    int
		received  int
		finished  = make([]bool, len(cfg.Cases))
	)
	for i := range pending {
		pending[i] = nr
	}
	finish := func(ci int) {
		tr, divs, unp, n := judge(cfg, ci, streams[ci])
		mu.Lock()
		defer mu.Unlock()
		trials[ci], divsOf[ci], unpOf[ci], finished[ci] = tr, divs, unp, true
		unique += n
		done++
		if len(divs) > 0 {
			divergent++
		} else if len(unp) > 0 {
			partial++
		}
		if cfg.Progress != nil {
			cfg.Progress(Progress{Done: done, Total: len(cfg.Cases), Divergent: divergent})
		}
	}

	type job struct{ ci, ri int }
	jobs := make(chan job)
	var wg sync.WaitGroup
	for range max(1, cfg.Concurrency) {
		wg.Go(func() {
			for j := range jobs {
				if ctx.Err() != nil {
					continue // stopped: drain what the feeder already handed over
				}
				t := cfg.Targets[j.ri]
				c := cfg.Cases[j.ci]
				s, err := t.Replica.Complete(ctx, Request{Prompt: c.Prompt, Seed: c.Seed, Params: cfg.Params})
				if err != nil {
					if ctx.Err() == nil {
						cancel(&EngineError{URL: t.URL, Err: err})
					}
					continue
				}
				streams[j.ci][j.ri] = s
				mu.Lock()
				received++
				pending[j.ci]--
				last := pending[j.ci] == 0
				mu.Unlock()
				if last {
					finish(j.ci)
				}
			}
		})
	}
feed:
	for ci := range cfg.Cases {
		for ri := range nr {
			select {
			case jobs <- job{ci, ri}:
			case <-ctx.Done():
				break feed
			}
		}
	}
	close(jobs)
	wg.Wait()
	res := Result{DivergentTrials: divergent, IncompleteTrials: partial, UniqueOutputs: unique, Streams: received}
	for ci, d := range divsOf {
		if finished[ci] {
			res.Trials = append(res.Trials, trials[ci])
			res.Divergences = append(res.Divergences, d...)
			res.Unproven = append(res.Unproven, unpOf[ci]...)
		}
	}
	return res, context.Cause(ctx)
}

// judge compares one finished case's streams with its baseline. A
// stream that differs is a divergence; one that agrees on everything
// shown but is not fully known is unproven.
func judge(cfg Config, ci int, got []transcript.Stream) (transcript.Trial, []Divergence, []Unproven, int) {
	c := cfg.Cases[ci]
	tr := transcript.Trial{PromptID: c.PromptID, Prompt: c.Prompt, Seed: c.Seed, Streams: got}
	want, from, name, url := got[0], 1, "replica 0", cfg.Targets[0].URL
	if c.Want != nil {
		want, from, name, url = *c.Want, 0, "transcript", ""
	}
	var divs []Divergence
	var unp []Unproven
	for ri := from; ri < len(got); ri++ {
		d, ok := drift.Find(want, got[ri], cfg.Width)
		if ok {
			divs = append(divs, Divergence{
				Seed: c.Seed, PromptID: c.PromptID, Prompt: c.Prompt,
				Baseline: name, BaselineURL: url,
				Replica: ri, URL: cfg.Targets[ri].URL, Drift: d,
			})
			continue
		}
		if of, why := unknown(want, got[ri]); of != "" {
			unp = append(unp, Unproven{Seed: c.Seed, PromptID: c.PromptID, Replica: ri, URL: cfg.Targets[ri].URL, Of: of, Why: why})
		}
	}
	all := got
	if c.Want != nil {
		all = append([]transcript.Stream{*c.Want}, got...)
	}
	return tr, divs, unp, distinct(all)
}

// unknown says whose stream (baseline, replica or both) is not fully
// known, and why.
func unknown(want, got transcript.Stream) (string, string) {
	w, g := why(want), why(got)
	switch {
	case w != "" && w == g:
		return "both", w
	case w != "" && g != "":
		return "both", "baseline: " + w + "; replica: " + g
	case w != "":
		return "baseline", w
	case g != "":
		return "replica", g
	}
	return "", ""
}

func why(s transcript.Stream) string {
	if s.Incomplete != "" {
		return s.Incomplete
	}
	if m := s.Missing(); m > 0 {
		return fmt.Sprintf("%d of %d token ids were not received", m, s.Predicted)
	}
	return ""
}

func distinct(ss []transcript.Stream) int {
	var reps []transcript.Stream
	for _, s := range ss {
		seen := false
		for _, r := range reps {
			if drift.Equal(r, s) {
				seen = true
				break
			}
		}
		if !seen {
			reps = append(reps, s)
		}
	}
	return len(reps)
}
