// Command refengine serves the reference engine over HTTP.
//
//	refengine --addr 127.0.0.1:0 [--parallel N] [--cont-batching]
//	          [--batch-invariant] [--latency D] [--token-latency D]
//	          [--fail-rate F --fail-seed S] [--auth-token T]
//	          [--engine-version V]
//
// Once bound it prints exactly one line to stdout,
// "listening on http://HOST:PORT", and serves until SIGTERM or SIGINT, when
// it shuts down gracefully. The auth token may also come from the
// REFENGINE_AUTH_TOKEN environment variable (the container image uses it).
//
// Exit status: 0 after a clean shutdown and for --help (printed to
// stdout); 1 when the server cannot listen or shut down; 2 on a usage
// error (an unknown flag, an argument, an invalid value or address),
// explained on stderr.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"orchcore.dev/test-harness/refengine/server"
)

// tokenEnv names the environment variable that supplies --auth-token.
const tokenEnv = "REFENGINE_AUTH_TOKEN"

// Exit codes.
const (
	exitOK    = 0
	exitServe = 1 // the server could not listen or shut down
	exitUsage = 2
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is the whole command; it returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("refengine", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {} // help goes to stdout, errors get a hint below
	var o server.Options
	addr := fs.String("addr", "127.0.0.1:8080", "listen address; port 0 picks a free port; a non-loopback address requires --auth-token")
	fs.IntVar(&o.Parallel, "parallel", 1, "number of slots (concurrent generations), 1..256")
	fs.BoolVar(&o.ContBatching, "cont-batching", false, "batch the decode steps of active slots together (nondeterministic under load unless --batch-invariant)")
	fs.BoolVar(&o.BatchInvariant, "batch-invariant", false, "keep the reduction split fixed whatever the batch, so batching cannot change outputs")
	fs.DurationVar(&o.Latency, "latency", 0, "fault: delay every completion request before its first byte")
	fs.DurationVar(&o.TokenLatency, "token-latency", 0, "fault: delay every generated token")
	fs.Float64Var(&o.FailRate, "fail-rate", 0, "fault: probability in [0,1] that a completion request fails with HTTP 500")
	fs.Uint64Var(&o.FailSeed, "fail-seed", 0, "seed of the --fail-rate draws")
	fs.StringVar(&o.AuthToken, "auth-token", os.Getenv(tokenEnv), "bearer token required on every endpoint but /health (default $"+tokenEnv+")")
	fs.StringVar(&o.EngineVersion, "engine-version", "", "override engine_version ("+server.EngineVersion+"); any other value changes generation, simulating another build")

	usageErr := func(format string, a ...any) int {
		if format != "" {
			fmt.Fprintf(stderr, "refengine: "+format+"\n", a...)
		}
		fmt.Fprintln(stderr, "Run 'refengine --help' for the flags.")
		return exitUsage
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			help(stdout, fs)
			return exitOK
		}
		return usageErr("") // flag has printed the error
	}
	if fs.NArg() > 0 {
		return usageErr("unexpected argument %q", fs.Arg(0))
	}
	if o.Parallel < 1 || o.Parallel > 256 { // server.Options reads 0 as 1; the flag does not
		return usageErr("--parallel %d out of range 1..256", o.Parallel)
	}
	srv, err := server.New(o)
	if err != nil {
		return usageErr("%v", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	url, err := srv.Start(*addr)
	if err != nil {
		if _, listen := errors.AsType[*net.OpError](err); listen {
			fmt.Fprintln(stderr, "refengine:", err)
			return exitServe
		}
		return usageErr("%v", err) // a malformed address, or no token off loopback
	}
	fmt.Fprintf(stdout, "listening on %s\n", url)
	<-ctx.Done()
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil {
		fmt.Fprintln(stderr, "refengine: shutdown:", err)
		return exitServe
	}
	return exitOK
}

// help prints the command's help, flags and exit status to w.
func help(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintf(w, "Usage: refengine [flags]\n\n"+
		"Reference LLM engine with llama.cpp- and OpenAI-compatible completion APIs.\n"+
		"engine_version %s, sampler_profile_version %s, model_digest %s\n\n"+
		"Prints \"listening on http://HOST:PORT\" once bound; SIGTERM/SIGINT shut down gracefully.\n\nFlags:\n",
		server.EngineVersion, server.SamplerProfileVersion, server.ModelDigest())
	fs.SetOutput(w)
	fs.PrintDefaults()
	fmt.Fprintf(w, "\nExit status:\n"+
		"  %d  clean shutdown after SIGTERM or SIGINT, or --help\n"+
		"  %d  the server could not listen or shut down\n"+
		"  %d  usage error: unknown flag, argument, invalid value or address\n",
		exitOK, exitServe, exitUsage)
}
