// Package engines connects the suite to inference engines: reference-engine
// replicas it starts in process, or engines already running at a URL.
//
// Guarantees:
//   - Start launches each replica as its own reference-engine server on
//     127.0.0.1 with the settings determinism needs (one slot, no continuous
//     batching) and records them as applied (OC-TEST-7002).
//   - Describe checks an engine answers /health (200, or 404 for an engine
//     without it) and records its /props as received; an engine without
//     /props, or whose /props has none of the reference engine's version
//     fields (a real llama.cpp server), is recorded as it is and still runs.
//   - Every error names the engine URL and what was wrong.
//   - Identity: engine_version, else llama.cpp's build_info, else OpenAI's
//     system_fingerprint is the engine version; model_digest, else
//     model_path (with the digest when both are reported), the model.
//   - Warnings flag settings that break determinism as reported by /props
//     (more than one slot, continuous batching), replicas that report a
//     different engine version or model, and every sampler default of
//     default_generation_settings that differs (field and both values);
//     Compare does the same between a replay's engines and the recording's.
//   - Complete lays a stream out by token index. Ids llama.cpp withheld
//     (text ending in incomplete UTF-8) are filled in from a second,
//     non-streamed request with return_tokens, accepted only when it agrees
//     with every id the stream showed; otherwise, and on the OpenAI API,
//     the stream says why it is incomplete and can never count byte-exact.
//   - Seeds outside the API's range are refused, never sent.
//   - Wait polls /health until ready, waiting out 503 and refused
//     connections, for at most the given time.
package engines
