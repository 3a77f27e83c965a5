// Package client talks to a refengine — or any llama.cpp-compatible server —
// through either the llama.cpp /completion API or the OpenAI
// /v1/completions API, always streaming.
//
// Guarantees:
//   - Complete returns every SSE data payload verbatim in Result.Raw, in
//     order, so runs can be kept as transcripts.
//   - Errors name the URL and what was wrong: the HTTP status and body, or
//     the number of a malformed event (counted from 1) and the reason.
//   - A stream that ends without its terminal event (llama.cpp "stop": true,
//     OpenAI "[DONE]") is an error, never a silently short result.
//   - ReadEvents is a standalone SSE reader (fuzzed): it never panics and
//     returns each event's data lines joined by "\n".
package client
