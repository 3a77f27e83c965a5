package drift_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"orchcore.dev/test-harness/determinism-suite/drift"
	"orchcore.dev/test-harness/determinism-suite/transcript"
)

func stream(ids []int, pieces ...string) transcript.Stream {
	s := transcript.Stream{Tokens: ids, Pieces: pieces, StopType: "limit"}
	for _, p := range pieces {
		s.Content += p
	}
	return s
}

func TestIdenticalStreamsHaveNoDrift(t *testing.T) {
	t.Attr("req", "OC-TEST-7001")
	a := stream([]int{1, 2, 3}, "a", "b", "c")
	if d, ok := drift.Find(a, stream([]int{1, 2, 3}, "a", "b", "c"), 3); ok {
		t.Fatalf("drift %+v between equal streams", d)
	}
	if !drift.Equal(a, a) {
		t.Fatal("Equal(a, a) = false")
	}
}

func TestFirstDifferingToken(t *testing.T) {
	t.Attr("req", "OC-TEST-7004")
	want := stream([]int{10, 11, 12, 13, 14, 15}, " the", " old", " man", " walked", " to", " town")
	got := stream([]int{10, 11, 12, 99, 98}, " the", " old", " man", " ran", " away")
	d, ok := drift.Find(want, got, 2)
	if !ok {
		t.Fatal("no drift found")
	}
	wantDrift := drift.Drift{
		Index:    3,
		Reason:   drift.ReasonToken,
		Context:  drift.Span{Tokens: []int{11, 12}, Pieces: []string{" old", " man"}, Text: " old man"},
		Want:     drift.Span{Tokens: []int{13, 14}, Pieces: []string{" walked", " to"}, Text: " walked to"},
		Got:      drift.Span{Tokens: []int{99, 98}, Pieces: []string{" ran", " away"}, Text: " ran away"},
		WantStop: "limit",
		GotStop:  "limit",
	}
	if diff := cmp.Diff(wantDrift, d); diff != "" {
		t.Fatalf("drift (-want +got):\n%s", diff)
	}
}

func TestSameTextOtherTokenIDIsDrift(t *testing.T) {
	d, ok := drift.Find(stream([]int{1, 2}, "a", "b"), stream([]int{1, 7}, "a", "b"), 4)
	if !ok || d.Index != 1 || d.Reason != drift.ReasonToken {
		t.Fatalf("drift = %+v, %v; want index 1 reason token", d, ok)
	}
}

func TestPrefixIsDrift(t *testing.T) {
	want := stream([]int{1, 2, 3}, "a", "b", "c")
	want.StopType = "limit"
	got := stream([]int{1, 2}, "a", "b")
	got.StopType = "eos"
	d, ok := drift.Find(want, got, 4)
	if !ok || d.Index != 2 || d.Reason != drift.ReasonLength {
		t.Fatalf("drift = %+v, %v; want index 2 reason length", d, ok)
	}
	if d.Got.String() != "(end of stream)" || d.Want.String() != `"c"#3` {
		t.Fatalf("continuations want=%s got=%s", d.Want, d.Got)
	}
	if d.WantStop != "limit" || d.GotStop != "eos" {
		t.Fatalf("stop types %q %q", d.WantStop, d.GotStop)
	}
}

func TestWithoutIDsPiecesDecide(t *testing.T) {
	d, ok := drift.Find(stream(nil, "x", "y", "z"), stream(nil, "x", "Y", "z"), 1)
	if !ok || d.Index != 1 || d.Context.Text != "x" || d.Want.Text != "y" || d.Got.Text != "Y" {
		t.Fatalf("drift = %+v, %v", d, ok)
	}
	// One side with ids and one without still compares the pieces.
	if _, ok := drift.Find(stream([]int{1, 2}, "x", "y"), stream(nil, "x", "y"), 1); ok {
		t.Fatal("drift between equal pieces when only one side has ids")
	}
}

func TestContentAndStopDifferences(t *testing.T) {
	a := stream([]int{1}, "a")
	b := a
	b.Content = "a\x00"
	if d, ok := drift.Find(a, b, 1); !ok || d.Reason != drift.ReasonContent || d.Index != 1 {
		t.Fatalf("content drift = %+v, %v", d, ok)
	}
	c := a
	c.StopType = "eos"
	if d, ok := drift.Find(a, c, 1); !ok || d.Reason != drift.ReasonStop {
		t.Fatalf("stop drift = %+v, %v", d, ok)
	}
}

func TestSpanString(t *testing.T) {
	s := drift.Span{Tokens: []int{279, 3}, Pieces: []string{" the", "\n"}}
	if got, want := s.String(), `" the"#279 "\n"#3`; got != want {
		t.Fatalf("String() = %s, want %s", got, want)
	}
}

func FuzzFind(f *testing.F) {
	f.Add([]byte{1, 2, 3}, []byte{1, 2, 4}, uint8(2))
	f.Add([]byte{}, []byte{9}, uint8(0))
	f.Fuzz(func(t *testing.T, a, b []byte, width uint8) {
		sa, sb := fromBytes(a), fromBytes(b)
		d, ok := drift.Find(sa, sb, int(width))
		if ok != !cmp.Equal(sa, sb) {
			t.Fatalf("Find says differ=%v, cmp says equal=%v", ok, cmp.Equal(sa, sb))
		}
		if !ok {
			return
		}
		if d.Index > len(a) || d.Index > len(b) {
			t.Fatalf("index %d past a stream (%d, %d)", d.Index, len(a), len(b))
		}
		for i := 0; i < d.Index; i++ {
			if a[i] != b[i] {
				t.Fatalf("streams differ at %d before reported index %d", i, d.Index)
			}
		}
		if len(d.Want.Pieces) > int(width) || len(d.Got.Pieces) > int(width) || len(d.Context.Pieces) > int(width) {
			t.Fatalf("span wider than %d: %+v", width, d)
		}
	})
}

func fromBytes(b []byte) transcript.Stream {
	s := transcript.Stream{Tokens: []int{}, Pieces: []string{}}
	for _, c := range b {
		s.Tokens = append(s.Tokens, int(c))
		s.Pieces = append(s.Pieces, string(rune('a'+c%26)))
		s.Content += string(rune('a' + c%26))
	}
	return s
}

func TestUnalignedIDsStillCompared(t *testing.T) {
	// Two token ids in one event: ids cannot be paired with pieces.
	want := transcript.Stream{Tokens: []int{1, 2, 3}, Pieces: []string{"ab", "c"}, Content: "abc"}
	got := transcript.Stream{Tokens: []int{1, 9, 3}, Pieces: []string{"ab", "c"}, Content: "abc"}
	d, ok := drift.Find(want, got, 2)
	if !ok || d.Index != 1 || d.Reason != drift.ReasonToken {
		t.Fatalf("drift = %+v, %v; want index 1 reason token", d, ok)
	}
	if _, ok := drift.Find(want, want, 2); ok {
		t.Fatal("drift between equal unaligned streams")
	}
}

// A drift at the first token has no common context: that is the start of
// the stream, not its end.
func TestDriftAtFirstToken(t *testing.T) {
	t.Attr("req", "OC-TEST-7004")
	d, ok := drift.Find(stream([]int{1, 2}, "a", "b"), stream([]int{9, 2}, "z", "b"), 4)
	if !ok || d.Index != 0 {
		t.Fatalf("drift = %+v, %v; want index 0", d, ok)
	}
	if got := d.Before(); got != "(start of stream)" {
		t.Errorf("Before() = %q, want (start of stream)", got)
	}
	if d, _ := drift.Find(stream([]int{1, 2}, "a", "b"), stream([]int{1, 9}, "a", "z"), 4); d.Before() != `"a"#1` {
		t.Errorf("Before() at index 1 = %q, want the first token", d.Before())
	}
}
