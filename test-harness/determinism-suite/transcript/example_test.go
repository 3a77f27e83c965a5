package transcript_test

import (
	"fmt"
	"os"
	"path/filepath"

	"orchcore.dev/test-harness/determinism-suite/transcript"
)

func ExampleWrite() {
	parent, err := os.MkdirTemp("", "transcript-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(parent)
	dir := filepath.Join(parent, "run-1")

	trials := []transcript.Trial{{
		PromptID: "story", Prompt: "Once upon a time", Seed: 42,
		Streams: []transcript.Stream{{Tokens: []int{1, 2}, Pieces: []string{" the", " end"}, Content: " the end", StopType: "limit"}},
	}}
	if err := transcript.Write(dir, transcript.Manifest{Params: transcript.Params{NPredict: 2}}, trials); err != nil {
		panic(err)
	}
	m, got, err := transcript.Read(dir)
	if err != nil {
		panic(err)
	}
	fmt.Println(m.Format, m.Trials, got[0].Seed, got[0].Streams[0].Content)
	// Output: detsuite-transcript/1 1 42  the end
}
