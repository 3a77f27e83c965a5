package corpus_test

import (
	"fmt"

	"orchcore.dev/test-harness/determinism-suite/corpus"
)

func ExampleParseSeeds() {
	s, err := corpus.ParseSeeds("inline", []byte("# two seeds\n7\n42\n"))
	if err != nil {
		panic(err)
	}
	fmt.Println(s.Values)
	// Output: [7 42]
}
