// Package corpus holds the seeds and prompts the determinism suite runs.
//
// Guarantees:
//   - The default corpus is embedded from data/seeds.txt and
//     data/prompts.jsonl; its sha256 digests are pinned by a test, so an edit
//     to either file is a visible change (OC-TEST-7003).
//   - The default corpus has at least 64 distinct seeds.
//   - Parsing is strict: a malformed line, a duplicate seed or prompt id, or
//     an empty file is an error naming the file and line.
//   - A Set carries the digest of the exact bytes it was parsed from, so a
//     transcript can say which corpus produced it.
package corpus
