package drift

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"orchcore.dev/test-harness/determinism-suite/transcript"
)

// Why the streams differ at Index.
const (
	ReasonToken   = "token"     // a token id or piece differs
	ReasonLength  = "length"    // one stream is a strict prefix of the other
	ReasonContent = "content"   // tokens agree but the content bytes do not
	ReasonStop    = "stop_type" // everything agrees but why generation stopped
)

// Span is a run of tokens: ids (nil when the stream has none) and pieces.
type Span struct {
	Tokens []int    `json:"tokens"`
	Pieces []string `json:"pieces"`
	Text   string   `json:"text"`
}

// Drift says where and how two streams part.
type Drift struct {
	Index  int    `json:"first_diff"`
	Reason string `json:"reason"`
	// Context is the common prefix just before Index.
	Context Span `json:"context"`
	// Want and Got continue from Index in the baseline and the other stream.
	Want     Span   `json:"want"`
	Got      Span   `json:"got"`
	WantStop string `json:"want_stop_type,omitempty"`
	GotStop  string `json:"got_stop_type,omitempty"`
}

// Find compares got to the baseline want and returns the drift, if any,
// with up to width tokens of context and continuation.
func Find(want, got transcript.Stream, width int) (Drift, bool) {
	ids := hasIDs(want) && hasIDs(got)
	n := min(len(want.Pieces), len(got.Pieces))
	if ids {
		n = min(len(want.Tokens), len(got.Tokens))
	}
	i := 0
	for i < n && same(want, got, i, ids) {
		i++
	}
	reason := ""
	switch {
	case i < n:
		reason = ReasonToken
	case length(want, ids) != length(got, ids):
		reason = ReasonLength
	case want.Content != got.Content:
		reason = ReasonContent
	case want.StopType != got.StopType:
		reason = ReasonStop
	case !ids && want.Tokens != nil && got.Tokens != nil && !slices.Equal(want.Tokens, got.Tokens):
		// Ids not aligned with pieces (several tokens per event): the
		// pieces agree, so report the first differing id on its own.
		i, reason = firstDiff(want.Tokens, got.Tokens), ReasonToken
	default:
		return Drift{}, false
	}
	return Drift{
		Index:    i,
		Reason:   reason,
		Context:  span(want, max(0, i-width), i),
		Want:     span(want, i, i+width),
		Got:      span(got, i, i+width),
		WantStop: want.StopType,
		GotStop:  got.StopType,
	}, true
}

// Before renders the common context for people; at index 0 there is
// none, which is the start of the stream.
func (d Drift) Before() string {
	if d.Index == 0 && len(d.Context.Pieces) == 0 {
		return "(start of stream)"
	}
	return d.Context.String()
}

// Equal reports whether two streams are byte-exact.
func Equal(a, b transcript.Stream) bool {
	_, differ := Find(a, b, 0)
	return !differ
}

// hasIDs: the stream has one token id per piece.
func hasIDs(s transcript.Stream) bool { return s.Tokens != nil && len(s.Tokens) == len(s.Pieces) }

func firstDiff(a, b []int) int {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	return i
}

func length(s transcript.Stream, ids bool) int {
	if ids {
		return len(s.Tokens)
	}
	return len(s.Pieces)
}

func same(a, b transcript.Stream, i int, ids bool) bool {
	if ids && a.Tokens[i] != b.Tokens[i] {
		return false
	}
	return piece(a, i) == piece(b, i)
}

func piece(s transcript.Stream, i int) string {
	if i < len(s.Pieces) {
		return s.Pieces[i]
	}
	return ""
}

func span(s transcript.Stream, from, to int) Span {
	var sp Span
	end := max(len(s.Pieces), len(s.Tokens))
	to = min(to, end)
	for i := from; i < to; i++ {
		if i < len(s.Tokens) {
			sp.Tokens = append(sp.Tokens, s.Tokens[i])
		}
		p := piece(s, i)
		sp.Pieces = append(sp.Pieces, p)
		sp.Text += p
	}
	return sp
}

// String renders a span for people: each token as its quoted piece, with
// its id when known, e.g. `" the"#279 " cat"#3797`.
func (s Span) String() string {
	if len(s.Pieces) == 0 {
		return "(end of stream)"
	}
	var b strings.Builder
	for i, p := range s.Pieces {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strconv.Quote(p))
		if i < len(s.Tokens) {
			fmt.Fprintf(&b, "#%d", s.Tokens[i])
		}
	}
	return b.String()
}
