package engines

import (
	"context"
	"fmt"

	"orchcore.dev/test-harness/refengine/client"

	"orchcore.dev/test-harness/determinism-suite/transcript"
)

// lay turns a client result into a stream laid out by token index: ids
// the engine withheld are -1, and each event's text sits at the index of
// its id. A result without token positions is kept as received.
func lay(res *client.Result) (transcript.Stream, bool) {
	s := transcript.Stream{Content: res.Content, StopType: res.StopType, Predicted: max(0, res.Predicted)}
	if res.Predicted < 0 {
		// Without a count nothing shows whether tokens went without an
		// event of their own (llama.cpp withholds them), so the stream
		// can never be proven whole.
		s.Incomplete = "the engine did not say how many tokens it generated (no tokens_predicted, no usage.completion_tokens): tokens without a chunk of their own cannot be ruled out"
	}
	if res.At == nil || !placeable(res) {
		s.Tokens, s.Pieces = res.Tokens, res.Pieces
		return s, false
	}
	n := max(res.Predicted, 0)
	if k := len(res.At); k > 0 {
		n = max(n, res.At[k-1]+1)
	}
	s.Tokens = make([]int, n)
	s.Pieces = make([]string, n)
	for i := range s.Tokens {
		s.Tokens[i] = -1
	}
	for j, at := range res.At {
		s.Tokens[at] = res.Tokens[j]
	}
	for k, at := range res.PieceAt {
		if at >= 0 { // an event without ids has no text (placeable)
			s.Pieces[at] = res.Pieces[k]
		}
	}
	return s, true
}

// placeable: every event with text has an id to place it by.
func placeable(res *client.Result) bool {
	for k, at := range res.PieceAt {
		if at < 0 && res.Pieces[k] != "" {
			return false
		}
	}
	return len(res.PieceAt) == len(res.Pieces)
}

// resolve fills the ids a llama.cpp stream withheld from a second,
// non-streamed request with "return_tokens": true. The stream stays
// unproven when that request fails or generates other ids than the
// stream showed (the engine is then not even repeatable on its own).
func (e *Engine) resolve(ctx context.Context, s *transcript.Stream, placed bool, req client.Request) {
	if s.Missing() == 0 {
		return
	}
	if e.API != client.LlamaCpp {
		s.Incomplete = fmt.Sprintf("%d of %d tokens had no chunk of their own (text held back as incomplete UTF-8) and the OpenAI API carries no ids; use --api llamacpp to compare ids", s.Missing(), s.Predicted)
		return
	}
	if !placed {
		s.Incomplete = fmt.Sprintf("%d of %d token ids withheld, and the events do not say which tokens they carry (no tokens_predicted), so a second answer cannot be checked against them", s.Missing(), s.Predicted)
		return
	}
	w, err := e.c.Whole(ctx, req)
	if err != nil {
		s.Incomplete = fmt.Sprintf("%d of %d token ids withheld; the second, non-streamed request failed: %v", s.Missing(), s.Predicted, err)
		return
	}
	if len(w.Tokens) != len(s.Tokens) {
		s.Incomplete = fmt.Sprintf("%d of %d token ids withheld; the second, non-streamed request generated %d tokens: the engine is not repeatable", s.Missing(), s.Predicted, len(w.Tokens))
		return
	}
	for i, id := range s.Tokens {
		if id >= 0 && (i >= len(w.Tokens) || w.Tokens[i] != id) {
			s.Incomplete = fmt.Sprintf("%d of %d token ids withheld; the second, non-streamed request generated other ids (token %d: streamed %d, then %d): the engine is not repeatable", s.Missing(), s.Predicted, i, id, w.Tokens[i])
			return
		}
	}
	s.Tokens = w.Tokens
	s.Content = w.Content
	s.IDsFrom = "return_tokens"
}
