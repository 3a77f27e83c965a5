package cli_test

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"orchcore.dev/tools/spec-trace/internal/cli"
)

func ExampleMain() {
	var out bytes.Buffer
	code := cli.Main([]string{
		"--root", "../../testdata/fixture",
		"--results", "../../testdata/results/gotest-all.json",
		"--results", "../../testdata/results/cucumber.json",
		"--strict",
	}, &out, io.Discard)
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	fmt.Println(lines[len(lines)-1])
	fmt.Println("exit", code)
	// Output:
	// requirements: 10 proven, 9 failing, 4 partial, 3 unproven
	// exit 1
}
