package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"orchcore.dev/test-harness/refengine/client"

	"orchcore.dev/test-harness/determinism-suite/report"
)

// Env is where the command writes.
type Env struct {
	Stdout, Stderr io.Writer
	// StderrTTY turns on the progress line.
	StderrTTY bool
}

// Main runs detsuite with args (without the program name).
func Main(ctx context.Context, args []string, env Env) int {
	if len(args) == 0 {
		fmt.Fprint(env.Stderr, synopsis+hint(""))
		return report.ExitError
	}
	switch args[0] {
	case "run":
		return run(ctx, args[1:], env)
	case "replay":
		return replay(ctx, args[1:], env)
	case "-h", "-help", "--help", "help":
		return helpCmd(args[1:], env)
	}
	fmt.Fprintf(env.Stderr, "detsuite: unknown command %q\n%s%s", args[0], synopsis, hint(""))
	return report.ExitError
}

// common are the flags run and replay share.
type common struct {
	engines     []string
	api         string
	token       string
	concurrency int
	timeout     time.Duration
	wait        time.Duration
	json        bool
}

func (c *common) register(fs *flag.FlagSet) {
	fs.Func("engine", "base `URL` of an engine replica; repeat for each replica, two or more for run (default: none; run then starts --replicas reference engines, replay as many as were recorded)", func(s string) error {
		if l := strings.ToLower(s); !strings.HasPrefix(l, "http://") && !strings.HasPrefix(l, "https://") {
			return fmt.Errorf("want an http:// or https:// URL, got %q", s)
		}
		c.engines = append(c.engines, strings.TrimRight(s, "/"))
		return nil
	})
	fs.StringVar(&c.api, "api", "", "completion `API` the engines speak: llamacpp or openai (default: run llamacpp, replay the recorded one)")
	fs.StringVar(&c.token, "auth-token", "", "bearer `TOKEN` sent to every --engine URL (default: none)")
	fs.IntVar(&c.concurrency, "concurrency", 8, "keep up to `N` requests in flight across all replicas, at least 1")
	fs.DurationVar(&c.timeout, "timeout", 2*time.Minute, "time limit `D` of each request, a Go duration such as 90s or 2m")
	fs.DurationVar(&c.wait, "wait", 0, "before starting, poll each engine's /health for up to `D` until it is ready; a 503 (llama.cpp: Loading model) or a refused connection is waited out (default 0: one check, and a 503 is an error)")
	fs.BoolVar(&c.json, "json", false, "print the report as JSON (schema detsuite-report/1) instead of text")
}

func (c *common) parseAPI(fallback string) (client.API, error) {
	name := c.api
	if name == "" {
		name = fallback
	}
	return client.ParseAPI(name)
}

// parse parses args into fs. On -h or --help it prints the command's
// help to stdout; on a bad flag or an argument it explains on stderr. done
// says the command must stop and exit with code.
func parse(fs *flag.FlagSet, args []string, env Env) (code int, done bool) {
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {} // help goes to stdout; errors get the hint below
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		commandHelp(env.Stdout, fs)
		return report.ExitOK, true
	case err != nil: // flag has printed what was wrong
		fmt.Fprint(env.Stderr, hint(fs.Name()))
		return report.ExitError, true
	case fs.NArg() > 0:
		fmt.Fprintf(env.Stderr, "detsuite %s: unexpected argument %q\n%s", fs.Name(), fs.Arg(0), hint(fs.Name()))
		return report.ExitError, true
	}
	return 0, false
}

// usageErr explains a bad flag value (or the file it names) on stderr.
func usageErr(env Env, cmd, format string, args ...any) int {
	fmt.Fprintf(env.Stderr, "detsuite %s: %s\n%s", cmd, fmt.Sprintf(format, args...), hint(cmd))
	return report.ExitError
}
