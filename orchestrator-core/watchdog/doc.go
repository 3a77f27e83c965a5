// Package watchdog finds stuck jobs (OC-CORE-1022): a wall timeout since
// the job started and an idle timeout since its last token.
//
// Time never comes from the system clock: every call takes the current
// time in milliseconds from the caller's injected clock, so tests step
// time exactly.
//
// Guarantees:
//   - A job's deadline is min(start+WallMs, lastToken+IdleMs); before the
//     first token, lastToken is the start. A limit <= 0 is disabled; a job
//     with both limits disabled never expires.
//   - A job expires when now >= its deadline; [Watchdog.Expired] removes
//     and returns it once, with the timeout that fired. When both fire at
//     the same instant, WALL wins: the wall limit is the hard bound.
//   - Expiries come out ordered by deadline, then job id: the same calls
//     give the same result on every run.
//   - Start, Heartbeat and Stop are O(log n): deadlines live in a binary
//     min-heap whose entries know their index, so a heartbeat re-sifts one
//     entry instead of scanning. Deadlines saturate instead of overflowing.
//   - A Watchdog is not safe for concurrent use; its owner serializes.
package watchdog
