package engines_test

import (
	"context"
	"fmt"
	"time"

	"orchcore.dev/test-harness/refengine/client"

	"orchcore.dev/test-harness/determinism-suite/drift"
	"orchcore.dev/test-harness/determinism-suite/engines"
	"orchcore.dev/test-harness/determinism-suite/suite"
	"orchcore.dev/test-harness/determinism-suite/transcript"
)

func ExampleStart() {
	es, err := engines.Start(2, client.LlamaCpp, time.Minute)
	if err != nil {
		panic(err)
	}
	defer engines.Close(es)
	req := suite.Request{Prompt: "Once upon a time", Seed: 7, Params: transcript.Params{NPredict: 8, Temperature: 0.8, TopK: 40, TopP: 0.95, MinP: 0.05}}
	var streams []transcript.Stream
	for _, e := range es {
		d, _, err := e.Describe(context.Background())
		if err != nil {
			panic(err)
		}
		fmt.Println("applied:", d.Applied["parallel"], d.Applied["cont_batching"])
		s, err := e.Complete(context.Background(), req)
		if err != nil {
			panic(err)
		}
		streams = append(streams, s)
	}
	fmt.Println("byte-exact:", drift.Equal(streams[0], streams[1]), len(streams[0].Tokens), "tokens")
	// Output:
	// applied: 1 false
	// applied: 1 false
	// byte-exact: true 8 tokens
}
