package drift_test

import (
	"strings"
	"testing"

	"orchcore.dev/test-harness/determinism-suite/drift"
	"orchcore.dev/test-harness/determinism-suite/transcript"
)

// Withheld ids (-1) compare by their piece; a difference after them is at
// its token index, with a note that it may lie earlier.
func TestWithheldIDs(t *testing.T) {
	t.Attr("req", "OC-TEST-7004")
	a := transcript.Stream{Tokens: []int{1, -1, 3, 4}, Pieces: []string{"a", "", "é", "c"}, Content: "aéc", Predicted: 4}
	b := a
	if d, ok := drift.Find(a, b, 4); ok {
		t.Fatalf("equal streams drift: %+v", d)
	}
	b.Tokens = []int{1, -1, 3, 9}
	d, ok := drift.Find(a, b, 4)
	if !ok || d.Index != 3 || d.Reason != drift.ReasonToken || !strings.Contains(d.Uncertain, "as early as token 1") {
		t.Fatalf("drift %+v", d)
	}
	if s := d.Context.String(); !strings.Contains(s, "#?") {
		t.Errorf("context %s does not mark the withheld id", s)
	}
	// A token withheld in one stream and not in the other differs there.
	c := transcript.Stream{Tokens: []int{1, 2, 3, 4}, Pieces: []string{"a", "x", "é", "c"}, Content: "axéc", Predicted: 4}
	if d, ok := drift.Find(a, c, 4); !ok || d.Index != 1 {
		t.Fatalf("withheld vs sent: %+v %v", d, ok)
	}
}

// Without ids and with tokens that had no piece of their own only the
// text compares, and no token index is claimed.
func TestUnalignedTextOnly(t *testing.T) {
	a := transcript.Stream{Pieces: []string{"ab", "東"}, Content: "ab東", Predicted: 4}
	b := transcript.Stream{Pieces: []string{"ab", "京"}, Content: "ab京", Predicted: 4}
	d, ok := drift.Find(a, b, 4)
	if !ok || d.Index != -1 || d.Byte != 2 || d.Reason != drift.ReasonContent || d.Uncertain == "" {
		t.Fatalf("drift %+v %v", d, ok)
	}
	if _, ok := drift.Find(a, a, 4); ok {
		t.Fatal("equal unaligned streams drift")
	}
}

func TestSameStopAcrossAPIs(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{{"limit", "length", true}, {"eos", "stop", true}, {"word", "stop", true}, {"eos", "word", false}, {"limit", "stop", false}, {"length", "stop", false}, {"eos", "eos", true}} {
		if got := drift.SameStop(c.a, c.b); got != c.want {
			t.Errorf("SameStop(%q, %q) = %v", c.a, c.b, got)
		}
	}
	a := transcript.Stream{Pieces: []string{"x"}, Content: "x", StopType: "limit"}
	b := a
	b.StopType = "length"
	if _, ok := drift.Find(a, b, 4); ok {
		t.Error("limit and length drift")
	}
	b.StopType = "stop"
	if d, ok := drift.Find(a, b, 4); !ok || d.Reason != drift.ReasonStop {
		t.Error("limit and stop do not drift")
	}
}
