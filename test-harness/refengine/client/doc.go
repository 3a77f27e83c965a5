// Package client talks to a refengine — or any llama.cpp-compatible server —
// through either the llama.cpp /completion API or the OpenAI
// /v1/completions API, streaming (Complete) or, on the llama.cpp API, not
// (Whole, which returns every token id).
//
// Guarantees:
//   - Complete returns every SSE data payload verbatim in Result.Raw, in
//     order, so runs can be kept as transcripts.
//   - Errors name the URL and what was wrong: the HTTP status and body, the
//     number of a malformed event (counted from 1) and the reason, or the
//     engine's own message from an "error:" line sent after the stream
//     began (llama.cpp does so with HTTP 200).
//   - A stream that ends without its terminal event (llama.cpp "stop": true,
//     OpenAI "[DONE]") is an error, never a silently short result.
//   - Result.Predicted is the engine's count of generated tokens and
//     Result.At the token index of each id received, so a caller can tell
//     which ids llama.cpp withheld (text ending in incomplete UTF-8).
//   - A seed outside the API's SeedRange is refused, never sent.
//   - cache_prompt is false on both APIs.
//   - Connections survive a server that closes after every streamed
//     response while advertising keep-alive (llama.cpp b4748, cpp-httplib
//     0.19): a streamed request's connection is closed after it, and a
//     request whose reused connection dies before the first byte of the
//     answer is sent exactly once more, on a new connection; never after a
//     byte of the answer arrived.
//   - ReadEvents is a standalone SSE reader (fuzzed): it never panics and
//     returns each event's data lines joined by "\n".
package client
