// Command spec-trace maps the requirements in .specs/ to the tests that
// prove them and writes coverage reports; run it with --help for usage.
package main

import (
	"os"

	"orchcore.dev/tools/spec-trace/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr))
}
