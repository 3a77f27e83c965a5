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

const usage = `usage:
  detsuite run    [--engine URL ... | --replicas N] [--api llamacpp|openai]
                  [--seeds FILE] [--prompts FILE] [--n-predict N]
                  [--concurrency N] [--record DIR] [--json]
  detsuite replay --transcripts DIR [--engine URL ...] [--json]

exit: 0 byte-exact, 1 divergence, 2 usage/connection/protocol error, 130 interrupted
`

// errUsage marks a usage error (already explained on stderr).
var errUsage = errors.New("usage")

// Main runs detsuite with args (without the program name).
func Main(ctx context.Context, args []string, env Env) int {
	if len(args) == 0 {
		fmt.Fprint(env.Stderr, usage)
		return report.ExitError
	}
	switch args[0] {
	case "run":
		return run(ctx, args[1:], env)
	case "replay":
		return replay(ctx, args[1:], env)
	case "-h", "--help", "help":
		fmt.Fprint(env.Stdout, usage)
		return report.ExitOK
	}
	fmt.Fprintf(env.Stderr, "detsuite: unknown command %q\n%s", args[0], usage)
	return report.ExitError
}

// common are the flags run and replay share.
type common struct {
	engines     []string
	api         string
	token       string
	concurrency int
	timeout     time.Duration
	json        bool
}

func (c *common) register(fs *flag.FlagSet) {
	fs.Func("engine", "engine base URL (repeat for each replica)", func(s string) error {
		if !strings.HasPrefix(s, "http://") && !strings.HasPrefix(s, "https://") {
			return fmt.Errorf("want an http:// or https:// URL, got %q", s)
		}
		c.engines = append(c.engines, strings.TrimRight(s, "/"))
		return nil
	})
	fs.StringVar(&c.api, "api", "", "engine API: llamacpp or openai (default llamacpp; replay: as recorded)")
	fs.StringVar(&c.token, "auth-token", "", "bearer token sent to --engine URLs")
	fs.IntVar(&c.concurrency, "concurrency", 8, "requests in flight across all replicas")
	fs.DurationVar(&c.timeout, "timeout", 2*time.Minute, "limit for each request")
	fs.BoolVar(&c.json, "json", false, "print a machine-readable report (schema detsuite-report/1)")
}

func (c *common) parseAPI(fallback string) (client.API, error) {
	name := c.api
	if name == "" {
		name = fallback
	}
	return client.ParseAPI(name)
}

func parse(fs *flag.FlagSet, args []string, env Env) error {
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprint(env.Stderr, usage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "detsuite %s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		return errUsage
	}
	return nil
}

func usageErr(env Env, cmd, format string, args ...any) int {
	fmt.Fprintf(env.Stderr, "detsuite %s: %s\n", cmd, fmt.Sprintf(format, args...))
	return report.ExitError
}
