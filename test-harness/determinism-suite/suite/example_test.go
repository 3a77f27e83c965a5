package suite_test

import (
	"context"
	"fmt"

	"orchcore.dev/test-harness/determinism-suite/corpus"
	"orchcore.dev/test-harness/determinism-suite/suite"
	"orchcore.dev/test-harness/determinism-suite/transcript"
)

// echo is a toy replica: its stream is the prompt's words, the seed'th
// word repeated.
type echo struct{ drift bool }

func (e echo) Complete(_ context.Context, r suite.Request) (transcript.Stream, error) {
	s := transcript.Stream{StopType: "limit"}
	for i := range r.Params.NPredict {
		p := fmt.Sprintf(" w%d", int(r.Seed)+i)
		if e.drift && r.Seed == 2 && i == 1 {
			p = " x"
		}
		s.Tokens, s.Pieces, s.Content = append(s.Tokens, i), append(s.Pieces, p), s.Content+p
	}
	return s, nil
}

func ExampleRun() {
	res, err := suite.Run(context.Background(), suite.Config{
		Targets: []suite.Target{
			{URL: "http://replica-0", Replica: echo{}},
			{URL: "http://replica-1", Replica: echo{drift: true}},
		},
		Cases:       suite.Cross([]corpus.Prompt{{ID: "p", Text: "Hello"}}, []uint64{1, 2, 3}),
		Params:      transcript.Params{NPredict: 3},
		Concurrency: 2,
	})
	if err != nil {
		panic(err)
	}
	for _, d := range res.Divergences {
		fmt.Printf("seed %d prompt %s: replica %d differs at token %d: %s vs %s\n",
			d.Seed, d.PromptID, d.Replica, d.Index, d.Want, d.Got)
	}
	fmt.Println(len(res.Trials), "trials,", res.DivergentTrials, "divergent,", res.UniqueOutputs, "unique outputs")
	// Output:
	// seed 2 prompt p: replica 1 differs at token 1: " w3"#1 " w4"#2 vs " x"#1 " w4"#2
	// 3 trials, 1 divergent, 4 unique outputs
}
