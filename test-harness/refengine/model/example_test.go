package model_test

import (
	"fmt"

	"orchcore.dev/test-harness/refengine/model"
)

func ExampleModel_Logits() {
	m := model.Default()
	ids, _ := model.Tokenize("qu")
	logits := make([]float32, model.VocabSize)
	m.Logits(model.Context{Prev: ids[1], Prev2: ids[0]}, 4, logits)
	fmt.Println(len(logits), len(m.Digest()))
	// Output: 96 64
}
