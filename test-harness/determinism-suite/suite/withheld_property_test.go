package suite_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"orchcore.dev/test-harness/determinism-suite/suite"
	"orchcore.dev/test-harness/determinism-suite/transcript"
)

// A model of llama.cpp's stream: ids 4 and 5 are lead bytes, whose text
// leaves the output incomplete, so their ids are withheld and their text
// rides on the next token's event (or is lost at the end).
var vocab = []string{"a", "b", "c", "d", "\xe6", "\xf0"}

func held(id int) bool { return id >= 4 }

// streamOf is what a llama.cpp client sees of ids.
func streamOf(ids []int) transcript.Stream {
	s := transcript.Stream{Predicted: len(ids)}
	pending := ""
	for _, id := range ids {
		if held(id) {
			pending += vocab[id]
			s.Tokens, s.Pieces = append(s.Tokens, -1), append(s.Pieces, "")
			continue
		}
		p := pending + vocab[id]
		pending = ""
		s.Tokens, s.Pieces = append(s.Tokens, id), append(s.Pieces, p)
	}
	s.Content = strings.Join(s.Pieces, "")
	return s
}

type fixed transcript.Stream

func (f fixed) Complete(context.Context, suite.Request) (transcript.Stream, error) {
	return transcript.Stream(f), nil
}

// Against the model: replicas that generated different ids are never
// byte-exact (divergent, or unproven when the difference hides in
// withheld ids), identical ones never diverge, and a divergence with no
// withheld id before it is at the first differing token.
func TestWithheldIDsNeverByteExact(t *testing.T) {
	t.Attr("req", "OC-TEST-7001")
	t.Attr("req", "OC-TEST-7004")
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 8).Draw(t, "n")
		a := rapid.SliceOfN(rapid.IntRange(0, len(vocab)-1), n, n).Draw(t, "a")
		b := slices.Clone(a)
		for _, i := range rapid.SliceOfN(rapid.IntRange(0, n-1), 0, 3).Draw(t, "changes") {
			b[i] = rapid.IntRange(0, len(vocab)-1).Draw(t, "id")
		}
		res, err := suite.Run(context.Background(), suite.Config{
			Targets: []suite.Target{{URL: "a", Replica: fixed(streamOf(a))}, {URL: "b", Replica: fixed(streamOf(b))}},
			Cases:   []suite.Case{{PromptID: "p", Seed: 1}},
			Params:  transcript.Params{NPredict: n},
		})
		if err != nil {
			t.Fatal(err)
		}
		first := -1
		for i := range a {
			if a[i] != b[i] {
				first = i
				break
			}
		}
		withheld := slices.ContainsFunc(a, held) || slices.ContainsFunc(b, held)
		switch {
		case first < 0 && res.DivergentTrials != 0:
			t.Fatalf("identical ids %v diverged: %+v", a, res.Divergences)
		case first < 0 && withheld != (res.IncompleteTrials == 1):
			t.Fatalf("identical ids %v: %d incomplete trials, withheld %v", a, res.IncompleteTrials, withheld)
		case first >= 0 && res.DivergentTrials+res.IncompleteTrials != 1:
			t.Fatalf("ids %v vs %v counted byte-exact", a, b)
		}
		if res.DivergentTrials == 1 {
			d := res.Divergences[0]
			if d.Uncertain == "" && d.Index != first {
				t.Fatalf("ids %v vs %v: first difference reported at %d, want %d", a, b, d.Index, first)
			}
			if d.Uncertain != "" && d.Index < first {
				t.Fatalf("ids %v vs %v: uncertain index %d before the first difference %d", a, b, d.Index, first)
			}
		}
	})
}
