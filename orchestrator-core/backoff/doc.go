// Package backoff computes re-dispatch delays after a replica failure
// (OC-CORE-1025): capped exponential growth with jitter drawn from an
// explicit seed.
//
// For retry attempt n (1 for the first retry) the ceiling is
// min(Cap, Base*2^(n-1)) and the delay is drawn uniformly from
// [ceiling/2, ceiling] (equal jitter), so retries never bunch at zero
// and never exceed the cap.
//
// Guarantees:
//   - Every delay is in [0, CapMs]; none is negative.
//   - Next(n) reports ok=false for every n > MaxRetries (and n < 1): the
//     caller then ends the task FAILED with its last cause ([GiveUp]).
//   - Doubling is guarded: no shift or multiplication overflows, whatever
//     the attempt number or base; the ceiling saturates at the cap.
//   - The jitter is a pure function of (Seed, task id, attempt): the draw
//     is r = splitmix64(Seed XOR splitmix64(FNV-1a 64(task id) + attempt))
//     and the delay is c/2 + floor(r * (c - c/2 + 1) / 2^64).
//     No global random source, no clock; the same inputs give the same
//     delay on every run.
package backoff
