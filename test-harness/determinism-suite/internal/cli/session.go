package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime"
	"runtime/debug"
	"time"

	"orchcore.dev/test-harness/refengine/client"

	"orchcore.dev/test-harness/determinism-suite/engines"
	"orchcore.dev/test-harness/determinism-suite/report"
	"orchcore.dev/test-harness/determinism-suite/suite"
	"orchcore.dev/test-harness/determinism-suite/transcript"
)

// session is one run or replay once its flags are checked.
type session struct {
	cmd        string
	env        Env
	common     common
	api        client.API
	params     transcript.Params
	cases      []suite.Case
	corpus     transcript.Corpus
	start      int    // replicas to start when no --engine is given
	record     string // run: transcript to write
	transcript string // replay: transcript read
	warnings   []string
}

func (s *session) do(ctx context.Context) int {
	rep := report.Report{
		Command: s.cmd, Params: s.params, Corpus: s.corpus, PlannedTrials: len(s.cases),
		Transcript: s.transcript, // run names its --record only once written
	}
	err := s.execute(ctx, &rep)
	interrupted := ctx.Err() != nil
	if interrupted {
		err = errors.New("interrupted: run stopped before it finished; no transcript written")
	}
	rep.Outcome(err, interrupted)
	if s.common.json {
		if err := report.JSON(s.env.Stdout, rep); err != nil {
			fmt.Fprintf(s.env.Stderr, "detsuite %s: %v\n", s.cmd, err)
		}
	} else {
		if err := report.Human(s.env.Stdout, rep); err != nil {
			fmt.Fprintf(s.env.Stderr, "detsuite %s: %v\n", s.cmd, err)
		}
	}
	if err != nil {
		fmt.Fprintf(s.env.Stderr, "detsuite %s: %v\n", s.cmd, err)
	}
	return rep.ExitCode
}

func (s *session) execute(ctx context.Context, rep *report.Report) error {
	es, err := s.engines()
	if err != nil {
		return err
	}
	defer engines.Close(es)
	var props []map[string]any
	for _, e := range es {
		d, p, err := e.Describe(ctx)
		if err != nil {
			return err
		}
		rep.Engines = append(rep.Engines, d)
		props = append(props, p)
	}
	rep.Warnings = append(s.warnings, engines.Warnings(rep.Engines, props)...)
	rep.Replicas = len(es)

	targets := make([]suite.Target, len(es))
	for i, e := range es {
		targets[i] = suite.Target{URL: e.URL, Replica: e}
	}
	prog := newProgress(s.env, len(s.cases))
	res, err := suite.Run(ctx, suite.Config{
		Targets: targets, Cases: s.cases, Params: s.params,
		Concurrency: s.common.concurrency, Progress: prog.update,
	})
	prog.end()
	// Count what finished, also when err stopped the run early.
	rep.Trials, rep.Streams = len(res.Trials), res.Streams
	rep.UniqueOutputs = res.UniqueOutputs
	rep.DivergentTrials = res.DivergentTrials
	rep.Divergences = res.Divergences
	if err != nil {
		return err
	}
	if s.record == "" || ctx.Err() != nil {
		return nil
	}
	m := transcript.Manifest{
		Tool: tool(), Created: time.Now().UTC(), Params: s.params,
		Engines: rep.Engines, Corpus: s.corpus, Divergent: res.DivergentTrials,
	}
	if err := transcript.Write(s.record, m, res.Trials); err != nil {
		return fmt.Errorf("--record: %w", err)
	}
	rep.Transcript = s.record
	return nil
}

func (s *session) engines() ([]*engines.Engine, error) {
	if len(s.common.engines) == 0 {
		return engines.Start(s.start, s.api, s.common.timeout)
	}
	var es []*engines.Engine
	for _, u := range s.common.engines {
		es = append(es, engines.Dial(u, s.api, s.common.token, s.common.timeout))
	}
	return es, nil
}

func tool() transcript.Tool {
	t := transcript.Tool{Name: "detsuite", Version: "(unknown)", Go: runtime.Version()}
	if bi, ok := debug.ReadBuildInfo(); ok {
		t.Version = bi.Main.Version
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" {
				t.Version += " " + s.Value
			}
		}
	}
	return t
}

// checkEmpty refuses a path that exists and is not an empty directory.
func checkEmpty(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return err
	case len(entries) > 0:
		return errors.New("exists and is not empty")
	}
	return nil
}
