// Package fakellama is a stand-in for a real llama.cpp server in tests. It
// copies llama.cpp b4748 (examples/server/server.cpp and utils.hpp, served
// by cpp-httplib 0.19): /health, /props, streamed and whole /completion and
// /v1/completions, with the event bytes and these behaviours of that build:
//
//   - After every streamed response it closes the TCP connection while the
//     headers say "Keep-Alive: timeout=5, max=100" and no "Connection:
//     close" (the terminal chunk is sent first). Whole (non-streamed)
//     answers keep the connection.
//   - While the generated text ends in an incomplete UTF-8 sequence (the
//     test llama.cpp's validate_utf8 makes) a token gets no event; the next
//     event carries the text held back plus its own, and only its own id.
//     Text still held back when generation ends is never streamed (the
//     final event has content ""). Invalid bytes arrive as U+FFFD. Each
//     event's tokens_predicted counts every token generated so far, the
//     final event's all of them. A whole answer has the full text and,
//     with "return_tokens": true, every id.
//   - An error after the stream began is a line "error: {json}" in an HTTP
//     200 stream (then "data: [DONE]" on /v1/completions).
//   - /props has build_info, model_path, total_slots and
//     default_generation_settings with every sampler default; /health (and
//     /props) answer 503 "Loading model" while loading.
//   - A seed is kept to 32 bits, and 4294967295 (or -1) means random.
//   - cache_prompt defaults to true (on /completion and /v1/completions);
//     here a prompt served from the cache streams differently from an
//     uncached one, as reused KV-cache numerics can.
//
// It is not a language model: tokens come from a hash of (prompt, seed,
// position) over a small vocabulary; with Bytes the vocabulary has byte
// tokens that split multi-byte characters, as byte-fallback tokens do.
//
// Guarantees:
//   - Deterministic mode gives the same stream for the same request, on any
//     instance with the same Options.
//   - Nondeterministic mode changes one token of every answer at a random
//     position, from an unseeded source: like an engine whose batching
//     leaks into its numerics, it differs between calls and replicas.
package fakellama
