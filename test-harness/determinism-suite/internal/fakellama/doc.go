// Package fakellama is a stand-in for a real llama.cpp server in tests: it
// speaks llama.cpp's /health, /props and streamed /completion with the
// event shapes llama.cpp sends, and none of the reference engine's version
// fields. It is not a language model: tokens come from a hash of (prompt,
// seed, position) over a small word list.
//
// Guarantees:
//   - Deterministic mode gives the same stream for the same request, on any
//     instance.
//   - Nondeterministic mode changes one token of every stream at a random
//     position, from an unseeded source: like an engine whose batching
//     leaks into its numerics, it differs between calls and replicas.
//   - /props has only build_info and default_generation_settings (plus
//     total_slots when Slots is set), as a real llama.cpp build reports.
package fakellama
