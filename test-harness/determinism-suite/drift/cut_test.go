package drift_test

import (
	"testing"

	"orchcore.dev/test-harness/determinism-suite/drift"
	"orchcore.dev/test-harness/determinism-suite/transcript"
)

// One generation of four tokens " the" "\xe6" "\x9d\xb1" "\xc3", as each
// way of reading it records it: the lead byte's id is withheld (its text
// rides on the next event) and the last token, an incomplete sequence,
// is never streamed.
var (
	// resolved: llama.cpp API, withheld ids and the tail filled in from
	// the non-streamed answer.
	resolved = transcript.Stream{Tokens: []int{0, 15, 16, 19}, Pieces: []string{" the", "", "東", ""},
		Content: " the東\ufffd", StopType: "limit", Predicted: 4, IDsFrom: "return_tokens"}
	// unresolved: llama.cpp API, the second request did not finish.
	unresolved = transcript.Stream{Tokens: []int{0, -1, 16, -1}, Pieces: []string{" the", "", "東", ""},
		Content: " the東", StopType: "limit", Predicted: 4,
		Incomplete: "2 of 4 token ids withheld; the second, non-streamed request failed: context canceled"}
	// oai: OpenAI API, no ids, two chunks for four tokens.
	oai = transcript.Stream{Pieces: []string{" the", "東"}, Content: " the東", StopType: "length", Predicted: 4,
		Incomplete: "2 of 4 tokens had no chunk of their own"}
	// noUsage: OpenAI API without usage: the count is unknown.
	noUsage = transcript.Stream{Pieces: []string{" the", "東"}, Content: " the東", StopType: "length",
		Incomplete: "the engine did not say how many tokens it generated"}
)

// A stream known to be incomplete whose text is a prefix of the other's
// (the held-back tail it never saw) is not a divergence, whichever side
// it is on; the pair is left to the caller as unproven.
func TestCutShortIsNotDivergent(t *testing.T) {
	t.Attr("req", "OC-TEST-7001")
	t.Attr("req", "OC-TEST-7004")
	for name, c := range map[string][2]transcript.Stream{
		"llamacpp record, openai replay": {resolved, oai},
		"openai record, llamacpp replay": {oai, resolved},
		"second request interrupted":     {resolved, unresolved},
		"interrupted as baseline":        {unresolved, resolved},
		"no usage vs llamacpp":           {resolved, noUsage},
		"llamacpp vs no usage":           {noUsage, resolved},
		"no usage vs interrupted":        {noUsage, unresolved},
	} {
		if d, ok := drift.Find(c[0], c[1], 4); ok {
			t.Errorf("%s: divergent: %+v", name, d)
		}
		if drift.Equal(c[0], c[1]) != true {
			t.Errorf("%s: not Equal", name)
		}
	}
}

// A real difference in the part both streams show is still divergent, at
// its token index where there is one; a stop reason that differs too.
func TestCutShortKeepsRealDifferences(t *testing.T) {
	t.Attr("req", "OC-TEST-7001")
	t.Attr("req", "OC-TEST-7004")
	other := unresolved
	other.Tokens = []int{0, -1, 17, -1} // same text, another id at token 2
	if d, ok := drift.Find(resolved, other, 4); !ok || d.Index != 2 || d.Reason != drift.ReasonToken {
		t.Errorf("known id differs: %+v %v", d, ok)
	}
	text := unresolved
	text.Pieces = []string{" the", "", "京", ""}
	text.Content = " the京"
	if d, ok := drift.Find(resolved, text, 4); !ok || d.Index != 2 || d.Reason != drift.ReasonToken {
		t.Errorf("known text differs: %+v %v", d, ok)
	}
	o := oai
	o.Pieces, o.Content = []string{" a", "東"}, " a東"
	if d, ok := drift.Find(resolved, o, 4); !ok || d.Reason != drift.ReasonContent || d.Byte != 1 || d.Index != -1 {
		t.Errorf("openai text differs: %+v %v", d, ok)
	}
	// Longer than the other side and not starting with its text.
	o.Pieces, o.Content = []string{" the", "京"}, " the京"
	if d, ok := drift.Find(o, resolved, 4); !ok || d.Reason != drift.ReasonContent || d.Byte != 4 {
		t.Errorf("openai baseline differs: %+v %v", d, ok)
	}
	stop := oai
	stop.StopType = "stop"
	if d, ok := drift.Find(resolved, stop, 4); !ok || d.Reason != drift.ReasonStop {
		t.Errorf("stop reason differs: %+v %v", d, ok)
	}
	n := noUsage
	n.Pieces, n.Content = []string{" the", "京"}, " the京"
	if d, ok := drift.Find(resolved, n, 4); !ok || d.Reason != drift.ReasonContent {
		t.Errorf("no usage, text differs: %+v %v", d, ok)
	}
}

// Two fully known streams that differ only by a tail still diverge: the
// prefix rule is only for streams known to be incomplete.
func TestKnownStreamsTailDiffers(t *testing.T) {
	t.Attr("req", "OC-TEST-7001")
	a := transcript.Stream{Tokens: []int{1, 2}, Pieces: []string{"a", "b"}, Content: "ab", Predicted: 2}
	b := transcript.Stream{Tokens: []int{1}, Pieces: []string{"a"}, Content: "a", Predicted: 1}
	if d, ok := drift.Find(a, b, 4); !ok || d.Reason != drift.ReasonLength || d.Index != 1 {
		t.Errorf("length: %+v %v", d, ok)
	}
	c := a
	c.Content = "abc"
	if d, ok := drift.Find(c, a, 4); !ok || d.Reason != drift.ReasonContent {
		t.Errorf("content: %+v %v", d, ok)
	}
}
