// Package drift finds where two token streams part and shows both sides.
//
// Guarantees:
//   - Between fully known streams Find reports no drift only when they are
//     byte-exact: the same token ids (when both carry ids), the same
//     pieces, the same content and the same stop type.
//   - Index is the first token index where the streams differ; when one
//     stream is a prefix of the other, it is the shorter stream's length.
//     A withheld id (-1) compares by its text only, and a difference after
//     one says the first difference may lie earlier (Uncertain). Streams
//     whose pieces are not tokens (no ids, and fewer pieces than tokens
//     generated) compare by text: Index is -1 and Byte says where.
//   - A stream known to be incomplete (transcript.Stream.Known false)
//     whose text is a prefix of the other's, with the ids both show
//     agreeing, is no drift: it lacks what it never saw. The caller counts
//     such a pair unproven. A difference inside the part both show, or in
//     the stop reason, is still drift.
//   - Stop reasons compare across the two APIs: llama.cpp's "limit" is
//     OpenAI's "length", "eos" and "word" are "stop"; within llama.cpp's
//     API "eos" and "word" differ.
//   - Each Drift carries up to the requested number of tokens of common
//     context before Index and of each continuation from Index on.
//   - Find never reads past either stream and never mutates its inputs.
package drift
