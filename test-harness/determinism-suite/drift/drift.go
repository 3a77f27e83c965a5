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
	// Index is the token index of the first difference; -1 when the
	// streams carry no ids and the engine withheld tokens, so only the
	// text can be compared (Byte then says where it parts).
	Index  int    `json:"first_diff"`
	Byte   int    `json:"first_diff_byte,omitempty"`
	Reason string `json:"reason"`
	// Context is the common prefix just before Index.
	Context Span `json:"context"`
	// Want and Got continue from Index in the baseline and the other stream.
	Want     Span   `json:"want"`
	Got      Span   `json:"got"`
	WantStop string `json:"want_stop_type,omitempty"`
	GotStop  string `json:"got_stop_type,omitempty"`
	// Uncertain is set when ids before Index were withheld: the first
	// difference may lie earlier.
	Uncertain string `json:"uncertain,omitempty"`
}

// Find compares got to the baseline want and returns the drift, if any,
// with up to width tokens of context and continuation.
func Find(want, got transcript.Stream, width int) (Drift, bool) {
	if !aligned(want) || !aligned(got) {
		return byText(want, got)
	}
	ids := hasIDs(want) && hasIDs(got)
	n := min(len(want.Pieces), len(got.Pieces))
	if ids {
		n = min(len(want.Tokens), len(got.Tokens))
	}
	i := 0
	for i < n && same(want, got, i, ids) {
		i++
	}
	cut := cutShort(want, got)
	reason := ""
	switch {
	case i < n:
		reason = ReasonToken
	case length(want, ids) != length(got, ids) && !cut:
		reason = ReasonLength
	case want.Content != got.Content && !cut:
		reason = ReasonContent
	case !SameStop(want.StopType, got.StopType):
		reason = ReasonStop
	case !ids && want.Tokens != nil && got.Tokens != nil && !slices.Equal(want.Tokens, got.Tokens):
		// Ids not aligned with pieces (several tokens per event): the
		// pieces agree, so report the first differing id on its own.
		i, reason = firstDiff(want.Tokens, got.Tokens), ReasonToken
	default:
		return Drift{}, false
	}
	return Drift{
		Index:     i,
		Reason:    reason,
		Context:   span(want, max(0, i-width), i),
		Want:      span(want, i, i+width),
		Got:       span(got, i, i+width),
		WantStop:  want.StopType,
		GotStop:   got.StopType,
		Uncertain: uncertain(want, got, i),
	}, true
}

// cutShort: one stream is not fully known (a held-back tail never
// streamed, a second request that did not finish, a count the engine did
// not give) and its text is a prefix of the other's. What it lacks was
// not seen, so a shorter length or text proves no divergence: the pair is
// unproven (see Known), never divergent. The caller has checked that the
// ids both streams show agree.
func cutShort(a, b transcript.Stream) bool {
	if a.Known() && b.Known() {
		return false
	}
	short, long := a.Content, b.Content
	if len(short) > len(long) {
		short, long = long, short
	}
	return strings.HasPrefix(long, short)
}

// aligned: one piece per token, so a piece index is a token index. A
// stream without ids whose engine counted more tokens than it sent
// pieces is not (some tokens rode on a later piece), nor one whose
// engine gave no count (Predicted 0 with a reason recorded): its pieces
// may each carry several tokens. A count of 0 with no reason is an old
// record or an empty answer.
func aligned(s transcript.Stream) bool {
	return s.Tokens != nil || len(s.Pieces) == s.Predicted || s.Predicted == 0 && s.Incomplete == ""
}

// byText compares streams whose pieces are not tokens: only the text and
// the stop reason can be compared, and no token index is known.
func byText(want, got transcript.Stream) (Drift, bool) {
	d := Drift{Index: -1, WantStop: want.StopType, GotStop: got.StopType,
		Uncertain: "the engine withheld tokens and this API carries no ids: the token index is unknown"}
	switch {
	case want.Content != got.Content && !cutShort(want, got):
		d.Reason = ReasonContent
		d.Byte = firstByte(want.Content, got.Content)
		from := max(0, d.Byte-16)
		d.Context.Text = want.Content[from:d.Byte]
		d.Want.Text = want.Content[d.Byte:min(len(want.Content), d.Byte+16)]
		d.Got.Text = got.Content[d.Byte:min(len(got.Content), d.Byte+16)]
	case !SameStop(want.StopType, got.StopType):
		d.Reason = ReasonStop
	default:
		return Drift{}, false
	}
	return d, true
}

func firstByte(a, b string) int {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	return i
}

// uncertain says which withheld ids before i could hide an earlier
// difference.
func uncertain(a, b transcript.Stream, i int) string {
	first := -1
	for j := 0; j < i; j++ {
		if j < len(a.Tokens) && a.Tokens[j] < 0 || j < len(b.Tokens) && b.Tokens[j] < 0 {
			first = j
			break
		}
	}
	if first < 0 {
		return ""
	}
	return fmt.Sprintf("ids were withheld from token %d on: the first difference may be as early as token %d", first, first)
}

// SameStop compares stop reasons; across the two APIs llama.cpp's
// "limit" is OpenAI's "length", and "eos" and "word" are "stop".
func SameStop(a, b string) bool {
	if a == b {
		return true
	}
	if !isOpenAIStop(a) && !isOpenAIStop(b) {
		return false // both llama.cpp's: eos and word differ
	}
	return normStop(a) == normStop(b)
}

func isOpenAIStop(s string) bool { return s == "length" || s == "stop" }

func normStop(s string) string {
	switch s {
	case "limit", "length":
		return "length"
	case "eos", "word", "stop":
		return "stop"
	}
	return s
}

// Before renders the common context for people; at index 0 there is
// none, which is the start of the stream.
func (d Drift) Before() string {
	if d.Index <= 0 && len(d.Context.Pieces) == 0 && d.Context.Text == "" {
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

// same compares token i; a withheld id (-1) compares by its piece only.
func same(a, b transcript.Stream, i int, ids bool) bool {
	if ids && a.Tokens[i] >= 0 && b.Tokens[i] >= 0 && a.Tokens[i] != b.Tokens[i] {
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
	if len(s.Pieces) == 0 && s.Text != "" {
		return strconv.Quote(s.Text)
	}
	if len(s.Pieces) == 0 {
		return "(end of stream)"
	}
	var b strings.Builder
	for i, p := range s.Pieces {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strconv.Quote(p))
		switch {
		case i < len(s.Tokens) && s.Tokens[i] < 0:
			b.WriteString("#?")
		case i < len(s.Tokens):
			fmt.Fprintf(&b, "#%d", s.Tokens[i])
		}
	}
	return b.String()
}
