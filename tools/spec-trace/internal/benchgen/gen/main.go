// Command gen writes the speed-benchmark repository (10,000 requirements,
// 50,000 tests, about 200 MB of go test -json) into a directory, so the
// spec-trace binary can be timed on it:
//
//	go run ./internal/benchgen/gen /tmp/big
//	/usr/bin/time -v spec-trace --root /tmp/big --results /tmp/big/go.json --out /tmp/big/out
package main

import (
	"fmt"
	"os"

	"orchcore.dev/tools/spec-trace/internal/benchgen"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: gen DIR")
		os.Exit(2)
	}
	path, size, err := benchgen.Write(os.Args[1], benchgen.Config{
		Reqs: 10000, Tests: 50000, Packages: 100, Bytes: 200 << 20, FailEvery: 997, SkipEvery: 13,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("%s: %d bytes\n", path, size)
}
