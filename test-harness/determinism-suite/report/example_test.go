package report_test

import (
	"os"

	"orchcore.dev/test-harness/determinism-suite/report"
	"orchcore.dev/test-harness/determinism-suite/transcript"
)

func ExampleHuman() {
	r := report.Report{
		Command: "run", Trials: 128, Replicas: 2, Streams: 256, UniqueOutputs: 128,
		Params: transcript.Params{NPredict: 32},
		Corpus: transcript.Corpus{Seeds: 64, Prompts: 2},
	}
	r.Outcome(nil, false)
	report.Human(os.Stdout, r)
	// Output:
	// detsuite run: 2 replicas, 128 trials (64 seeds x 2 prompts), n_predict 32
	// result: 128 trials, 256 streams, 128 unique outputs, 0 divergent trials: BYTE-EXACT (exit 0)
}
