// Package suite runs every (prompt, seed) case on every replica and finds
// where their token streams part.
//
// Guarantees:
//   - Each case is sent to every replica with the same prompt, seed and
//     sampling parameters; nothing else varies between replicas.
//   - A case is byte-exact only when every replica's stream equals the
//     baseline: replica 0 in a run, the recorded stream in a replay
//     (OC-TEST-7001, OC-CORE-1030). Each other stream is reported as a
//     Divergence with the seed, the prompt, the replica, the first differing
//     token index and both continuations (OC-TEST-7004).
//   - A stream that agrees with its baseline on everything both show but
//     whose ids or text are not all known (transcript.Stream.Known) is
//     never byte-exact: it is listed in Unproven with why, and its trial
//     counts in IncompleteTrials unless it also diverged.
//   - Requests interleave replicas and keep up to Concurrency in flight, so
//     an engine that batches concurrent requests is exercised under load.
//   - The first engine error stops the run and is returned as an
//     *EngineError naming the URL; a canceled context stops it with the
//     context's error. The Result returned with it holds what finished
//     before: the completed trials, the streams received and the
//     divergences in those trials, never a planned count.
//   - Trials come back in case order, whatever order requests finished in.
package suite
