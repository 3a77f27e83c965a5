// Command gen writes (with an optional size in MB, default 200) the speed-benchmark repository (10,000 requirements,
// 50,000 tests, about 200 MB of go test -json) into a directory, so the
// spec-trace binary can be timed on it:
//
//	go run ./internal/benchgen/gen /tmp/big
//	/usr/bin/time -v spec-trace --root /tmp/big --results /tmp/big/go.json --out /tmp/big/out
package main

import (
	"fmt"
	"os"
	"strconv"

	"orchcore.dev/tools/spec-trace/internal/benchgen"
)

func main() {
	if len(os.Args) < 2 || len(os.Args) > 3 {
		fmt.Fprintln(os.Stderr, "usage: gen DIR [MB]")
		os.Exit(2)
	}
	mb := 200
	if len(os.Args) == 3 {
		n, err := strconv.Atoi(os.Args[2])
		if err != nil || n < 1 {
			fmt.Fprintln(os.Stderr, "gen: MB must be a positive number")
			os.Exit(2)
		}
		mb = n
	}
	path, size, err := benchgen.Write(os.Args[1], benchgen.Config{
		Reqs: 10000, Tests: 50000, Packages: 100, Bytes: int64(mb) << 20, FailEvery: 997, SkipEvery: 13,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("%s: %d bytes\n", path, size)
}
