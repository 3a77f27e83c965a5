package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"orchcore.dev/test-harness/refengine/client"

	"orchcore.dev/test-harness/determinism-suite/corpus"
	"orchcore.dev/test-harness/determinism-suite/report"
	"orchcore.dev/test-harness/determinism-suite/suite"
	"orchcore.dev/test-harness/determinism-suite/transcript"
)

// runOpts are the flags of run.
type runOpts struct {
	common
	replicas       int
	seeds, prompts string
	record         string
	params         transcript.Params
}

// runFlags declares run's flags; its help is generated from them.
func runFlags() (*flag.FlagSet, *runOpts) {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	o := &runOpts{}
	o.register(fs)
	fs.IntVar(&o.replicas, "replicas", 0, "start `N` reference engines in this process when no --engine is given, at least 2 (default 2)")
	fs.StringVar(&o.seeds, "seeds", "", "seed `FILE`, one unsigned integer per line (default: the embedded corpus)")
	fs.StringVar(&o.prompts, "prompts", "", "prompt `FILE`, JSON Lines of {\"id\": ..., \"text\": ...} (default: the embedded corpus)")
	fs.StringVar(&o.record, "record", "", "write a transcript of the finished run to `DIR`, which must not exist or be empty; replay reads it (default: none)")
	fs.IntVar(&o.params.NPredict, "n-predict", 32, "generate `N` tokens per request, at least 1")
	fs.Float64Var(&o.params.Temperature, "temperature", 0.8, "sampling temperature `T`")
	fs.IntVar(&o.params.TopK, "top-k", 40, "top-k sampling: keep the `K` most likely tokens")
	fs.Float64Var(&o.params.TopP, "top-p", 0.95, "top-p (nucleus) sampling: keep the smallest set of tokens whose probability reaches `P`")
	fs.Float64Var(&o.params.MinP, "min-p", 0.05, "min-p sampling: drop tokens less likely than `P` times the most likely one")
	return fs, o
}

func run(ctx context.Context, args []string, env Env) int {
	fs, o := runFlags()
	if code, done := parse(fs, args, env); done {
		return code
	}
	c, replicas, seedsPath, prompts, record, p := o.common, o.replicas, o.seeds, o.prompts, o.record, o.params
	if err := c.distinct(); err != nil {
		return usageErr(env, "run", "%v", err)
	}
	switch {
	case replicas != 0 && len(c.engines) > 0:
		return usageErr(env, "run", "--replicas and --engine exclude each other")
	case len(c.engines) == 1:
		return usageErr(env, "run", "one --engine cannot prove anything: give at least two (or use replay)")
	case replicas < 0 || replicas == 1:
		return usageErr(env, "run", "--replicas must be at least 2, got %d", replicas)
	case replicas == 0:
		replicas = 2
	}
	if p.NPredict < 1 {
		return usageErr(env, "run", "--n-predict must be at least 1, got %d", p.NPredict)
	}
	if c.concurrency < 1 {
		return usageErr(env, "run", "--concurrency must be at least 1, got %d", c.concurrency)
	}
	api, err := c.parseAPI("llamacpp")
	if err != nil {
		return usageErr(env, "run", "--api: %v", err)
	}
	seeds := corpus.DefaultSeeds()
	if seedsPath != "" {
		if seeds, err = corpus.LoadSeeds(seedsPath); err != nil {
			return usageErr(env, "run", "--seeds: %v", err)
		}
	}
	if err := checkSeeds(api, seeds.Values); err != nil {
		return usageErr(env, "run", "--seeds: %v", err)
	}
	if c.wait < 0 {
		return usageErr(env, "run", "--wait must not be negative, got %v", c.wait)
	}
	ps := corpus.DefaultPrompts()
	if prompts != "" {
		if ps, err = corpus.LoadPrompts(prompts); err != nil {
			return usageErr(env, "run", "--prompts: %v", err)
		}
	}
	if record != "" {
		if err := writable(record); err != nil {
			return usageErr(env, "run", "--record: %v", err)
		}
	}
	sess := session{
		cmd: "run", env: env, common: c, api: api, params: p,
		cases: suite.Cross(ps.Items, seeds.Values),
		corpus: transcript.Corpus{
			SeedsSHA256: seeds.SHA256, PromptsSHA256: ps.SHA256,
			Seeds: len(seeds.Values), Prompts: len(ps.Items),
		},
		start:  replicas,
		record: record,
	}
	return sess.do(ctx)
}

// replayOpts are the flags of replay.
type replayOpts struct {
	common
	transcripts string
}

// replayFlags declares replay's flags; its help is generated from them.
func replayFlags() (*flag.FlagSet, *replayOpts) {
	fs := flag.NewFlagSet("replay", flag.ContinueOnError)
	o := &replayOpts{}
	o.register(fs)
	fs.StringVar(&o.transcripts, "transcripts", "", "transcript `DIR` written by run --record; required")
	return fs, o
}

func replay(ctx context.Context, args []string, env Env) int {
	fs, o := replayFlags()
	if code, done := parse(fs, args, env); done {
		return code
	}
	c, dir := o.common, o.transcripts
	if err := c.distinct(); err != nil {
		return usageErr(env, "replay", "%v", err)
	}
	if dir == "" {
		return usageErr(env, "replay", "--transcripts DIR is required")
	}
	if c.concurrency < 1 {
		return usageErr(env, "replay", "--concurrency must be at least 1, got %d", c.concurrency)
	}
	m, trials, err := transcript.Read(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return usageErr(env, "replay", "--transcripts: %v", err)
	case err != nil: // a damaged transcript is not a flag mistake: no hint
		fmt.Fprintf(env.Stderr, "detsuite replay: %v\n", err)
		return report.ExitError
	}
	recorded := "llamacpp"
	if len(m.Engines) > 0 && m.Engines[0].API != "" {
		recorded = m.Engines[0].API
	}
	api, err := c.parseAPI(recorded)
	if err != nil {
		return usageErr(env, "replay", "--api: %v", err)
	}
	if len(c.engines) == 0 {
		for i, e := range m.Engines {
			if !e.StartedBySuite {
				return usageErr(env, "replay", "%s was recorded against engines the suite did not start (replica %d: %s): give them with --engine, or replay would compare them with the built-in reference engine", dir, i, e.URL)
			}
		}
	}
	var seeds []uint64
	for _, t := range trials {
		seeds = append(seeds, t.Seed)
	}
	if err := checkSeeds(api, seeds); err != nil {
		return usageErr(env, "replay", "%s: %v", dir, err)
	}
	cases := make([]suite.Case, len(trials))
	for i := range trials {
		t := &trials[i]
		cases[i] = suite.Case{PromptID: t.PromptID, Prompt: t.Prompt, Seed: t.Seed, Want: &t.Streams[0]}
	}
	var warnings []string
	if m.Divergent > 0 {
		warnings = append(warnings, fmt.Sprintf("the recording itself has %d divergent trials; its first replica's streams are the baseline", m.Divergent))
	}
	sess := session{
		warnings: warnings,
		cmd:      "replay", env: env, common: c, api: api, params: m.Params,
		cases: cases, corpus: m.Corpus, start: max(1, len(m.Engines)), transcript: dir,
		recorded: m.Engines,
	}
	return sess.do(ctx)
}

// checkSeeds refuses, before anything is sent, a seed the API cannot
// carry as a fixed seed.
func checkSeeds(api client.API, seeds []uint64) error {
	for _, s := range seeds {
		if err := api.CheckSeed(s); err != nil {
			return err
		}
	}
	return nil
}

func writable(dir string) error {
	if err := checkEmpty(dir); err != nil {
		return fmt.Errorf("%s: %w", dir, err)
	}
	return nil
}
