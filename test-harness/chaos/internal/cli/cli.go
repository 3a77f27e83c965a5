package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	cfgload "orchcore.dev/contracts/config-schema/load"

	"orchcore.dev/test-harness/chaos/check"
	"orchcore.dev/test-harness/chaos/fault"
	"orchcore.dev/test-harness/chaos/history"
	"orchcore.dev/test-harness/chaos/internal/runner"
	"orchcore.dev/test-harness/chaos/provider"
	"orchcore.dev/test-harness/chaos/report"
)

// Exit codes.
const (
	ExitOK      = 0
	ExitFinding = 1
	ExitUsage   = 2
)

// Env is the command's surroundings.
type Env struct {
	Stdout, Stderr io.Writer
	// Terminal says whether Stderr is a terminal (progress line).
	Terminal bool
	// Hook, when set, adjusts the run options (tests).
	Hook func(*runner.Options)
}

const usage = `Usage:
  chaos run   [flags]              drive the core against replicas under faults; check and report
  chaos check RUN_DIR|HISTORY.jsonl [--config FILE] [--json]
  chaos help | --help | run --help | check --help

Exit status: 0 every invariant holds; 1 an invariant is broken, the run is
below its validity thresholds or its history is cut short; 2 usage, input
or infrastructure error, or an interrupted run.
`

// Main runs the command and returns its exit status.
func Main(ctx context.Context, args []string, env Env) int {
	if len(args) == 0 {
		fmt.Fprint(env.Stderr, usage)
		return ExitUsage
	}
	switch args[0] {
	case "run":
		return runCmd(ctx, args[1:], env)
	case "check":
		return checkCmd(args[1:], env)
	case "help", "-h", "--help", "-help":
		fmt.Fprint(env.Stdout, usage)
		return ExitOK
	}
	fmt.Fprintf(env.Stderr, "chaos: unknown command %q\n%s", args[0], usage)
	return ExitUsage
}

func runCmd(ctx context.Context, args []string, env Env) int {
	fs := flag.NewFlagSet("chaos run", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	o := runner.Options{Command: append([]string{"chaos", "run"}, args...)}
	fs.StringVar(&o.Provider, "provider", "process", "replica provider: process (refengine child processes) or container (Docker)")
	fs.IntVar(&o.Replicas, "replicas", 3, "number of engine replicas")
	fs.IntVar(&o.Slots, "slots", 2, "slots (--parallel) per replica")
	fs.DurationVar(&o.Duration, "duration", 20*time.Second, "load phase; faults fall inside it, then heal-all and drain")
	faults := fs.String("faults", "all", "fault kinds: comma list of kill,pause,cut,slow,restart,flap, or all, or none")
	fs.DurationVar(&o.FaultDuration, "fault-duration", time.Second, "duration of each fault (faults are back to back with equal gaps)")
	fs.IntVar(&o.Rounds, "rounds", 1, "how many times each fault kind is injected")
	fs.StringVar(&o.Fairness, "fairness", "", "override the configuration's fairness policy: weighted or strict")
	fs.Float64Var(&o.Rate, "rate", 150, "mean arrivals per second over all classes (open loop, Poisson, with bursts)")
	fs.Uint64Var(&o.Seed, "seed", 1, "root seed: arrivals, fault timeline and every seeded choice")
	fs.StringVar(&o.ConfigFile, "config", "", "pool configuration (YAML, as orchcfg validates it); default: the built-in chaos pool")
	fs.StringVar(&o.Out, "out", "chaos-run", "run directory: history.jsonl, report.json, report.md, report.html")
	plan := fs.Bool("plan", false, "print the seeded plan (fault timeline, arrival digest) and exit without starting anything")
	fs.DurationVar(&o.TokenLatency, "token-latency", 10*time.Millisecond, "each replica's --token-latency")
	fs.DurationVar(&o.Drain, "drain", 30*time.Second, "bound on the drain after the load; running out is a finding")
	fs.StringVar(&o.EngineBin, "engine-bin", "", "refengine binary for the process provider (default: go build it into the run directory)")
	fs.StringVar(&o.Image, "image", "", "refengine image for the container provider (default "+provider.DefaultImage+", built by make image)")
	fs.Float64Var(&o.CancelRate, "cancel-rate", 0.05, "fraction of tasks a client cancels (half of them at once, racing the dispatch)")
	fs.IntVar(&o.Thresholds.MinTasksPerClass, "min-tasks", 20, "validity: admitted tasks per class at least")
	fs.Float64Var(&o.Thresholds.MinBacklogFraction, "min-backlog", 0.5, "validity: a class without refusals must be backlogged this fraction of first dispatches")
	fs.IntVar(&o.Thresholds.MinFaultDispatches, "min-fault-dispatches", 1, "validity: dispatches during each fault window at least")
	fs.Float64Var(&o.Thresholds.MinCompletedPerSec, "min-goodput", 1, "validity: completed tasks per second of load at least")
	fs.StringVar(&o.MetricsAddr, "metrics", "", "serve the core's Prometheus metrics (promexport) at ADDR/metrics during the run, e.g. 127.0.0.1:9464")
	quiet := fs.Bool("quiet", false, "no progress line")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(env.Stdout, "Usage: chaos run [flags]\n\nFlags:")
			fs.SetOutput(env.Stdout)
			fs.PrintDefaults()
			return ExitOK
		}
		return ExitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "chaos run: unexpected argument %q\n", fs.Arg(0))
		return ExitUsage
	}
	var err error
	if o.Faults, err = fault.ParseKinds(*faults); err != nil {
		fmt.Fprintf(env.Stderr, "chaos run: --faults: %v\n", err)
		return ExitUsage
	}
	if env.Hook != nil {
		env.Hook(&o)
	}
	if *plan {
		p, err := runner.MakePlan(o)
		if err != nil {
			fmt.Fprintf(env.Stderr, "chaos run: %v\n", err)
			return ExitUsage
		}
		b, _ := json.MarshalIndent(p, "", "  ")
		fmt.Fprintf(env.Stdout, "%s\n", b)
		return ExitOK
	}
	var progress io.Writer
	if env.Terminal && !*quiet && os.Getenv("CI") == "" {
		progress = env.Stderr
	}
	if p, err := runner.MakePlan(o); err == nil {
		fmt.Fprintf(env.Stderr, "chaos: seed %d, %d arrivals (digest %.12s), %d faults:\n", p.Seed, p.Arrivals, p.ArrivalDigest, len(p.Faults))
		for _, f := range p.Faults {
			fmt.Fprintf(env.Stderr, "  %s %-7s %-9s %s at %d ms for %d ms\n", f.ID, f.Kind, f.Mode, f.Target, f.StartMs, f.DurationMs)
		}
	}
	res, err := runner.Run(ctx, o, progress)
	if err != nil {
		fmt.Fprintf(env.Stderr, "chaos run: %v\n", err)
		return ExitUsage
	}
	env.Stdout.Write(report.Markdown(res.Report))
	fmt.Fprintf(env.Stderr, "chaos: report in %s\n", filepath.Join(res.Dir, "report.html"))
	switch {
	case res.Incomplete:
		fmt.Fprintln(env.Stderr, "chaos: interrupted; the history and the report are marked incomplete")
		return ExitUsage
	case res.Report.Result != check.Pass:
		return ExitFinding
	}
	return ExitOK
}

func checkCmd(args []string, env Env) int {
	fs := flag.NewFlagSet("chaos check", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	cfgFile := fs.String("config", "", "pool configuration to check against instead of the one the history recorded (classes, weights, retry)")
	asJSON := fs.Bool("json", false, "print report.json instead of the Markdown summary")
	write := fs.Bool("write", false, "with a RUN_DIR: rewrite its report files")
	// Accept flags after the positional argument too.
	var pos []string
	for len(args) > 0 {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fmt.Fprintln(env.Stdout, "Usage: chaos check RUN_DIR|HISTORY.jsonl [flags]\n\nRe-validates a saved run from its history.\n\nFlags:")
				fs.SetOutput(env.Stdout)
				fs.PrintDefaults()
				return ExitOK
			}
			return ExitUsage
		}
		args = fs.Args()
		if len(args) > 0 {
			pos = append(pos, args[0])
			args = args[1:]
		}
	}
	if len(pos) != 1 {
		fmt.Fprintln(env.Stderr, "chaos check: want exactly one RUN_DIR or HISTORY.jsonl")
		return ExitUsage
	}
	path, dir := pos[0], ""
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		dir, path = path, filepath.Join(path, "history.jsonl")
	}
	h, err := history.ReadFile(path)
	if err != nil {
		fmt.Fprintf(env.Stderr, "chaos check: %v\n", err)
		return ExitUsage
	}
	if *cfgFile != "" {
		if err := applyConfig(h, *cfgFile); err != nil {
			fmt.Fprintf(env.Stderr, "chaos check: %v\n", err)
			return ExitUsage
		}
	}
	vs := check.All(h)
	rep := report.Build(h, vs)
	if *write && dir != "" {
		if err := report.WriteAll(dir, rep); err != nil {
			fmt.Fprintf(env.Stderr, "chaos check: %v\n", err)
			return ExitUsage
		}
	}
	if *asJSON {
		b, _ := json.MarshalIndent(rep, "", "  ")
		fmt.Fprintf(env.Stdout, "%s\n", b)
	} else {
		env.Stdout.Write(report.Markdown(rep))
	}
	if rep.Result != check.Pass {
		return ExitFinding
	}
	return ExitOK
}

// applyConfig replaces the header's classes and retry policy with those
// of a configuration file.
func applyConfig(h *history.History, path string) error {
	c, diags, err := cfgload.File(path, cfgload.Strict)
	if err != nil {
		return err
	}
	if c == nil {
		var lines []string
		for _, d := range diags {
			lines = append(lines, d.String())
		}
		return fmt.Errorf("--config: invalid configuration:\n%s", strings.Join(lines, "\n"))
	}
	h.Header.Classes = nil
	for _, k := range c.Classes() {
		h.Header.Classes = append(h.Header.Classes, history.Class{Name: k.Name, Rank: k.Rank, Weight: k.Weight})
	}
	attempts := c.Retry.MaxAttempts
	if attempts == 0 {
		attempts = 3
	}
	h.Header.Retry = history.Retry{BaseMs: c.Retry.BaseMs, CapMs: c.Retry.CapMs, MaxAttempts: attempts, Seed: c.Retry.JitterSeed}
	return nil
}
