package engine_test

import (
	"fmt"

	"orchcore.dev/test-harness/refengine/engine"
	"orchcore.dev/test-harness/refengine/model"
	"orchcore.dev/test-harness/refengine/sampler"
)

func ExampleEngine_Generate() {
	e := engine.New(model.Default(), "")
	prompt, _ := model.Tokenize("The tide")
	p := sampler.Params{Temperature: 0.8, TopK: 40, TopP: 0.95, MinP: 0.05}
	a := e.Generate(prompt, p, 42, 16)
	b := e.Generate(prompt, p, 42, 16)
	fmt.Println(len(a), model.Detokenize(a) == model.Detokenize(b))
	// Output: 16 true
}
