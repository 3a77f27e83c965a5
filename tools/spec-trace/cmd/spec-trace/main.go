package main

import (
	"os"

	"orchcore.dev/tools/spec-trace/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr))
}
