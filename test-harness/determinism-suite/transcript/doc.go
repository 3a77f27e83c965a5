// Package transcript records determinism-suite runs so they can be replayed.
//
// A transcript is a directory with two files:
//
//	manifest.json  run settings, engines (settings applied and /props as
//	               reported), corpus digests, tool version, summary, and the
//	               sha256 of trials.jsonl
//	trials.jsonl   one JSON object per (prompt, seed) in corpus order, with
//	               every replica's stream: token ids by token index (-1 where
//	               the engine withheld one), text pieces, content, stop
//	               type, the engine's token count, where withheld ids came
//	               from, and why a stream is incomplete
//
// Guarantees:
//   - Write is atomic: the files are written and synced in a hidden sibling
//     directory that is renamed into place last, so dir is either absent or
//     complete; an interrupted or failed Write removes its temporary
//     directory. Write refuses a dir that exists and is not empty.
//   - Read checks the format tag, the trial count and the trials digest, so a
//     truncated or edited transcript is an error, not a silent baseline.
//   - Text round-trips byte-exactly: pieces are the strings the engine sent
//     (valid UTF-8 after JSON decoding), and encoding/json writes them back
//     unchanged.
package transcript
