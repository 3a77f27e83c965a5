// Package engine ties the model and the sampler into token generation for
// one engine build, named by its engine_version.
//
// Guarantees:
//   - A Decoder's output is a pure function of (prompt, sampler params, seed,
//     engine version, model, and the splits used for each step's logits).
//   - InvariantSplits is what a step uses when it runs alone or in
//     batch-invariant mode, so single-slot generation is byte-exact across
//     processes.
//   - BatchSplits(b) differs from InvariantSplits for every batch size b > 1:
//     a step computed in a shared batch rounds differently, as batched GPU
//     kernels do. This is the engine's deliberate nondeterminism under
//     continuous batching.
//   - The engine version is mixed into the PRNG seed and chooses the
//     invariant split, so another engine version gives another stream
//     (simulating a new build).
package engine
