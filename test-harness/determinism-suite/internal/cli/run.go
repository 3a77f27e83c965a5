package cli

import (
	"context"
	"flag"
	"fmt"

	"orchcore.dev/test-harness/determinism-suite/corpus"
	"orchcore.dev/test-harness/determinism-suite/report"
	"orchcore.dev/test-harness/determinism-suite/suite"
	"orchcore.dev/test-harness/determinism-suite/transcript"
)

func run(ctx context.Context, args []string, env Env) int {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	var (
		c                  common
		replicas           int
		seedsPath, prompts string
		record             string
		p                  transcript.Params
	)
	c.register(fs)
	fs.IntVar(&replicas, "replicas", 0, "reference-engine replicas to start when no --engine is given (default 2)")
	fs.StringVar(&seedsPath, "seeds", "", "seed file, one seed per line (default: the embedded corpus)")
	fs.StringVar(&prompts, "prompts", "", "prompt file, JSON Lines of {id, text} (default: the embedded corpus)")
	fs.StringVar(&record, "record", "", "write a transcript to this directory (must not exist or be empty)")
	fs.IntVar(&p.NPredict, "n-predict", 32, "tokens to generate per request")
	fs.Float64Var(&p.Temperature, "temperature", 0.8, "sampling temperature")
	fs.IntVar(&p.TopK, "top-k", 40, "top-k")
	fs.Float64Var(&p.TopP, "top-p", 0.95, "top-p")
	fs.Float64Var(&p.MinP, "min-p", 0.05, "min-p")
	if err := parse(fs, args, env); err != nil {
		return report.ExitError
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

func replay(ctx context.Context, args []string, env Env) int {
	fs := flag.NewFlagSet("replay", flag.ContinueOnError)
	var (
		c   common
		dir string
	)
	c.register(fs)
	fs.StringVar(&dir, "transcripts", "", "transcript directory written by run --record")
	if err := parse(fs, args, env); err != nil {
		return report.ExitError
	}
	if dir == "" {
		return usageErr(env, "replay", "--transcripts DIR is required")
	}
	if c.concurrency < 1 {
		return usageErr(env, "replay", "--concurrency must be at least 1, got %d", c.concurrency)
	}
	m, trials, err := transcript.Read(dir)
	if err != nil {
		return usageErr(env, "replay", "%v", err)
	}
	recorded := "llamacpp"
	if len(m.Engines) > 0 && m.Engines[0].API != "" {
		recorded = m.Engines[0].API
	}
	api, err := c.parseAPI(recorded)
	if err != nil {
		return usageErr(env, "replay", "--api: %v", err)
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
	}
	return sess.do(ctx)
}

func writable(dir string) error {
	if err := checkEmpty(dir); err != nil {
		return fmt.Errorf("%s: %w", dir, err)
	}
	return nil
}
