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
