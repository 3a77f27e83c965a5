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
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"orchcore.dev/test-harness/refengine/server"
)

// tokenEnv names the environment variable that supplies --auth-token.
const tokenEnv = "REFENGINE_AUTH_TOKEN"

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "refengine:", err)
		}
		os.Exit(2)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("refengine", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o server.Options
	addr := fs.String("addr", "127.0.0.1:8080", "listen address; port 0 picks a free port; a non-loopback address requires --auth-token")
	fs.IntVar(&o.Parallel, "parallel", 1, "number of slots (concurrent generations)")
	fs.BoolVar(&o.ContBatching, "cont-batching", false, "batch the decode steps of active slots together (nondeterministic under load unless --batch-invariant)")
	fs.BoolVar(&o.BatchInvariant, "batch-invariant", false, "keep the reduction split fixed whatever the batch, so batching cannot change outputs")
	fs.DurationVar(&o.Latency, "latency", 0, "fault: delay every completion request before its first byte")
	fs.DurationVar(&o.TokenLatency, "token-latency", 0, "fault: delay every generated token")
	fs.Float64Var(&o.FailRate, "fail-rate", 0, "fault: probability in [0,1] that a completion request fails with HTTP 500")
	fs.Uint64Var(&o.FailSeed, "fail-seed", 0, "seed of the --fail-rate draws")
	fs.StringVar(&o.AuthToken, "auth-token", os.Getenv(tokenEnv), "bearer token required on every endpoint but /health (default $"+tokenEnv+")")
	fs.StringVar(&o.EngineVersion, "engine-version", "", "override engine_version ("+server.EngineVersion+"); any other value changes generation, simulating another build")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: refengine [flags]\n\n"+
			"Reference LLM engine with llama.cpp- and OpenAI-compatible completion APIs.\n"+
			"engine_version %s, sampler_profile_version %s, model_digest %s\n\n"+
			"Prints \"listening on http://HOST:PORT\" once bound; SIGTERM/SIGINT shut down gracefully.\n\nFlags:\n",
			server.EngineVersion, server.SamplerProfileVersion, server.ModelDigest())
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	srv, err := server.New(o)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	url, err := srv.Start(*addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "listening on %s\n", url)
	<-ctx.Done()
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}
