package sampler_test

import (
	"fmt"

	"orchcore.dev/test-harness/refengine/sampler"
)

func ExampleSample() {
	logits := []float32{0.5, 2.0, 1.0}
	r := sampler.NewRand(1)
	greedy := sampler.Sample(logits, sampler.Params{}, r, nil)
	top1 := sampler.Sample(logits, sampler.Params{Temperature: 1, TopK: 1}, r, nil)
	fmt.Println(greedy, top1, sampler.Profile)
	// Output: 1 1 refengine-sampler/1
}
