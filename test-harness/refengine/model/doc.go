// Package model is the reference engine's language model: a tiny
// byte-level linear network whose weights are built deterministically, by
// counting, from corpus.txt and committed as refmodel.bin.
//
// The network reads the two previous tokens, adds their embeddings into a
// hidden vector h (dimension Dim) and computes one float32 logit per token as
// bias[v] + dot(h, W[v]). The embeddings are the rows of a seeded random
// orthogonal matrix, and W is fitted so that the logit equals the unigram
// log-probability plus the bigram and skip-bigram pointwise mutual
// information counted in the corpus.
//
// Guarantees:
//   - Build is a pure function of the corpus bytes; refmodel.bin is its
//     output for corpus.txt (regenerate with `go generate ./model`).
//   - Digest is the sha256 of the model file bytes, so any change to the
//     weights changes the digest.
//   - Logits are computed in float32 with a split-K reduction: the hidden
//     dimension is cut into `splits` ranges, each accumulated in 8-element
//     float32 blocks into a low-precision (bfloat16-like) running sum, and
//     the partial sums are added in order. The same splits give bit-identical
//     logits; different splits round at different points and give slightly
//     different logits — the way real kernels differ by batch shape.
//   - The vocabulary is fixed: newline and the printable ASCII bytes 32..126,
//     one token per byte.
package model
