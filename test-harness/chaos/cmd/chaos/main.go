// Command chaos is the chaos & load runner: it drives the orchestrator
// core against real engine replicas while injecting faults, records the
// history, checks every invariant and writes a report. Run `chaos help`.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"orchcore.dev/test-harness/chaos/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	st, _ := os.Stderr.Stat()
	term := st != nil && st.Mode()&os.ModeCharDevice != 0
	os.Exit(cli.Main(ctx, os.Args[1:], cli.Env{Stdout: os.Stdout, Stderr: os.Stderr, Terminal: term}))
}
