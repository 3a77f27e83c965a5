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
//   - Warnings flag settings that break determinism as reported by /props
//     (more than one slot, continuous batching) and replicas that report
//     different engine_version or model_digest.
package engines
