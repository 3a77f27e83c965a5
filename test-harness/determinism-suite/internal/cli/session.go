package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
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
	recorded   []transcript.Engine
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
	rep.Replicas = len(es)
	if err := s.wait(ctx, es); err != nil {
		return err
	}
	var props []map[string]any
	for _, e := range es {
		d, p, err := e.Describe(ctx)
		if err != nil {
			return err
		}
		d.Sent = e.Sent(s.params)
		rep.Engines = append(rep.Engines, d)
		props = append(props, p)
	}
	rep.Warnings = append(s.warnings, engines.Warnings(rep.Engines, props)...)
	if s.recorded != nil {
		rep.Warnings = append(rep.Warnings, engines.Compare(s.recorded, rep.Engines, props)...)
	}

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
	rep.IncompleteTrials, rep.Unproven = res.IncompleteTrials, res.Unproven
	rep.Warnings = append(rep.Warnings, fingerprints(es, rep.Engines)...)
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

// wait polls every engine's /health for up to --wait, drawing what it
// waits for on a terminal.
func (s *session) wait(ctx context.Context, es []*engines.Engine) error {
	if s.common.wait <= 0 {
		return nil
	}
	for i, e := range es {
		start := time.Now() // each replica has --wait of its own
		note := func(status string) {
			if s.env.StderrTTY {
				// The status names the URL already; say it once.
				status = strings.TrimPrefix(status, "GET "+e.URL+"/health: ")
				fmt.Fprintf(s.env.Stderr, "\rwaiting for replica %d (%s), %.1fs of %v: %.60s\033[K",
					i, e.URL, time.Since(start).Seconds(), s.common.wait, status)
			}
		}
		err := e.Wait(ctx, s.common.wait, note)
		if s.env.StderrTTY {
			fmt.Fprint(s.env.Stderr, "\r\033[K")
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// fingerprints fills in, for engines whose /props names no version,
// OpenAI's system_fingerprint, and warns when replicas' differ or one
// changed during the run.
func fingerprints(es []*engines.Engine, ds []transcript.Engine) []string {
	var out []string
	first := ""
	for i, e := range es {
		fp, changed := e.Fingerprint()
		if fp == "" || i >= len(ds) {
			continue
		}
		if ds[i].Version == "" {
			ds[i].Version = fp
		}
		if changed {
			out = append(out, fmt.Sprintf("replica %d (%s) changed system_fingerprint during the run", i, e.URL))
		}
		if first == "" {
			first = fp
		} else if fp != first {
			out = append(out, fmt.Sprintf("replicas report different system_fingerprint (%s, %s): they are not one replica set", first, fp))
		}
	}
	return out
}

// tool names this program: its module version ("(devel)" for a build
// from a work tree) and, when the build knows it, the VCS revision
// ("+dirty" when the tree had changes).
func tool() transcript.Tool {
	t := transcript.Tool{Name: "detsuite", Version: "(devel)", Go: runtime.Version()}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return t
	}
	if v := bi.Main.Version; v != "" {
		t.Version = v
	}
	rev, dirty := "", false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev != "" {
		t.Version += " " + rev
		if dirty {
			t.Version += "+dirty"
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
