// Command genmodel builds the reference model file from a corpus:
//
//	go run ./internal/genmodel -in corpus.txt -out refmodel.bin
//
// It is run by `go generate` in package model.
package main

import (
	"flag"
	"fmt"
	"os"

	"orchcore.dev/test-harness/refengine/model"
)

func main() {
	in := flag.String("in", "corpus.txt", "corpus file")
	out := flag.String("out", "refmodel.bin", "model file to write")
	flag.Parse()
	corpus, err := os.ReadFile(*in)
	if err != nil {
		fmt.Fprintln(os.Stderr, "genmodel:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, model.Build(corpus), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "genmodel:", err)
		os.Exit(1)
	}
}
