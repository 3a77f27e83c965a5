package drift_test

import (
	"fmt"

	"orchcore.dev/test-harness/determinism-suite/drift"
	"orchcore.dev/test-harness/determinism-suite/transcript"
)

func ExampleFind() {
	want := transcript.Stream{Tokens: []int{1, 2, 3}, Pieces: []string{"The", " cat", " sat"}, Content: "The cat sat"}
	got := transcript.Stream{Tokens: []int{1, 2, 4}, Pieces: []string{"The", " cat", " ran"}, Content: "The cat ran"}
	d, _ := drift.Find(want, got, 2)
	fmt.Println(d.Index, d.Context, "|", d.Want, "vs", d.Got)
	// Output: 2 "The"#1 " cat"#2 | " sat"#3 vs " ran"#4
}
