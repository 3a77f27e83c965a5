// Package drift finds where two token streams part and shows both sides.
//
// Guarantees:
//   - Find reports no drift only when the streams are byte-exact: the same
//     token ids (when both carry ids), the same pieces, the same content and
//     the same stop type.
//   - Index is the first token index where the streams differ; when one
//     stream is a prefix of the other, it is the shorter stream's length.
//     A withheld id (-1) compares by its text only, and a difference after
//     one says the first difference may lie earlier (Uncertain). Streams
//     whose pieces are not tokens (no ids, and fewer pieces than tokens
//     generated) compare by text: Index is -1 and Byte says where.
//   - Stop reasons compare across the two APIs: llama.cpp's "limit" is
//     OpenAI's "length", "eos" and "word" are "stop"; within llama.cpp's
//     API "eos" and "word" differ.
//   - Each Drift carries up to the requested number of tokens of common
//     context before Index and of each continuation from Index on.
//   - Find never reads past either stream and never mutates its inputs.
package drift
