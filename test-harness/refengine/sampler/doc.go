// Package sampler picks the next token from float32 logits, driven by a
// seeded PRNG. The algorithm is named by Profile; any change to it must
// change Profile.
//
// Profile "refengine-sampler/1", in order (the llama.cpp default chain
// without penalties):
//  1. Temperature <= 0: greedy — the highest logit, lowest id on ties; no
//     random draw.
//  2. Candidates sorted by logit descending, id ascending on ties.
//  3. top_k: keep the first k when 0 < k < vocab.
//  4. Softmax at temperature 1 (float64); top_p < 1 keeps the shortest
//     prefix whose mass reaches top_p (at least one candidate).
//  5. min_p > 0 keeps candidates whose probability is at least min_p times
//     the top candidate's.
//  6. Softmax of logit/temperature over the survivors; one draw u in [0,1)
//     from Rand picks the first candidate whose cumulative mass exceeds
//     u·total.
//
// Guarantees:
//   - Sample is a pure function of (logits, Params, Rand state); it draws at
//     most one number per call.
//   - Rand is SplitMix64: the same seed gives the same sequence on every
//     platform and Go version.
//   - Sample does not allocate when given a Scratch of at least len(logits).
package sampler
