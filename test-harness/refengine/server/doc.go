// Package server is the reference engine's HTTP server: a llama.cpp-shaped
// and OpenAI-shaped completion API over the refengine model, with slots,
// optional continuous batching, Prometheus metrics and fault hooks for the
// chaos runner.
//
// Endpoints: POST /completion (and /completions), POST /v1/completions,
// GET /health, GET /props, GET /metrics, POST /admin/ready.
//
// Guarantees:
//   - With Parallel 1, or without ContBatching, or with BatchInvariant, the
//     token stream of a request depends only on (prompt, n_predict, seed,
//     temperature, top_k, top_p, min_p, sampler_profile_version,
//     engine_version, model_digest): byte-exact across requests, processes
//     and concurrent load. In the llama.cpp shape every event but the final
//     one (which has timings) is byte-identical between runs as long as the
//     request lands on the same slot (id_slot; always 0 with one slot). The
//     OpenAI shape carries a per-request id and created time.
//   - With Parallel > 1 and ContBatching (and not BatchInvariant), each
//     decode step computes the logits of all waiting slots as one batch whose
//     reduction split depends on the batch size, so concurrent load changes
//     sampled outputs — on purpose, as a negative control.
//   - A request whose client goes away stops generating at the next token,
//     frees its slot and counts in refengine_cancelled_total.
//   - Bad requests get HTTP 400 with {"error":{...,"field":NAME}} naming the
//     offending field.
//   - Start refuses a non-loopback address unless AuthToken is set; with a
//     token, every endpoint except /health needs "Authorization: Bearer T".
//   - Fault hooks are off by default. FailRate draws once per valid
//     completion request from a PRNG seeded by FailSeed, so the same seed and
//     request order give the same failures.
//   - Metrics live on the server's own registry, never the global one.
package server
