// Command schemagen writes the configuration JSON Schema generated from the
// Go types: schemagen -src DIR -out FILE.
package main

import (
	"flag"
	"fmt"
	"os"

	"orchcore.dev/contracts/config-schema/internal/schemagen"
)

func main() {
	src := flag.String("src", "config", "directory of package config's sources")
	out := flag.String("out", "", "output file (default: standard output)")
	flag.Parse()
	b, err := schemagen.Generate(*src)
	if err == nil {
		if *out == "" {
			_, err = os.Stdout.Write(b)
		} else {
			err = os.WriteFile(*out, b, 0o644)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "schemagen:", err)
		os.Exit(1)
	}
}
