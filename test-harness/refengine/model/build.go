package model

import (
	"encoding/binary"
	"math"
)

// Dim is the hidden dimension: two orthogonal subspaces of VocabSize each,
// one for the previous token and one for the token before it.
const Dim = 2 * VocabSize

// buildSeed seeds the orthogonal embedding matrix.
const buildSeed = 0x5EED_0F_2EF0

// smoothing is the add-alpha constant of the counts.
const smoothing = 0.05

// skipWeight scales the skip-bigram term against the bigram term.
const skipWeight = 0.6

// magic opens every model file; the version byte follows the format.
var magic = [4]byte{'R', 'F', 'M', '1'}

// Build returns the model file for corpus. Bytes outside the vocabulary are
// skipped. The result depends only on corpus.
func Build(corpus []byte) []byte {
	var toks []int
	for _, b := range corpus {
		if id, ok := ByteToken(b); ok {
			toks = append(toks, id)
		}
	}
	uni := make([]float64, VocabSize)
	var bi, skip [VocabSize][VocabSize]float64
	for i, t := range toks {
		uni[t]++
		if i >= 1 {
			bi[toks[i-1]][t]++
		}
		if i >= 2 {
			skip[toks[i-2]][t]++
		}
	}
	logUni := logProbs(uni)
	q := orthogonal(Dim, buildSeed)

	emb1 := make([]float32, VocabSize*Dim)
	emb2 := make([]float32, VocabSize*Dim)
	w := make([]float32, VocabSize*Dim)
	bias := make([]float32, VocabSize)
	for a := 0; a < VocabSize; a++ {
		for d := 0; d < Dim; d++ {
			emb1[a*Dim+d] = float32(q[a][d])
			emb2[a*Dim+d] = float32(q[VocabSize+a][d])
		}
	}
	var pmi1, pmi2 [VocabSize][VocabSize]float64
	for a := 0; a < VocabSize; a++ {
		lb := logProbs(bi[a][:])
		ls := logProbs(skip[a][:])
		for v := 0; v < VocabSize; v++ {
			pmi1[a][v] = lb[v] - logUni[v]
			pmi2[a][v] = skipWeight * (ls[v] - logUni[v])
		}
	}
	for v := 0; v < VocabSize; v++ {
		bias[v] = float32(logUni[v])
		for d := 0; d < Dim; d++ {
			var s float64
			for a := 0; a < VocabSize; a++ {
				s += float64(pmi1[a][v] * q[a][d])
				s += float64(pmi2[a][v] * q[VocabSize+a][d])
			}
			w[v*Dim+d] = float32(s)
		}
	}
	return encode(emb1, emb2, w, bias)
}

// logProbs returns add-alpha smoothed log-probabilities of counts.
func logProbs(counts []float64) []float64 {
	var total float64
	for _, c := range counts {
		total += c
	}
	out := make([]float64, len(counts))
	den := total + smoothing*float64(len(counts))
	for i, c := range counts {
		out[i] = math.Log((c + smoothing) / den)
	}
	return out
}

// orthogonal returns an n×n matrix with orthonormal rows, from modified
// Gram-Schmidt on a seeded uniform random matrix.
func orthogonal(n int, seed uint64) [][]float64 {
	s := seed
	m := make([][]float64, n)
	for i := range m {
		m[i] = make([]float64, n)
		for j := range m[i] {
			s = splitmix(s)
			m[i][j] = float64(s>>11)/(1<<53)*2 - 1
		}
	}
	for i := 0; i < n; i++ {
		for k := 0; k < i; k++ {
			var dot float64
			for j := 0; j < n; j++ {
				dot += float64(m[i][j] * m[k][j])
			}
			for j := 0; j < n; j++ {
				m[i][j] -= float64(dot * m[k][j])
			}
		}
		var norm float64
		for j := 0; j < n; j++ {
			norm += float64(m[i][j] * m[i][j])
		}
		norm = math.Sqrt(norm)
		for j := 0; j < n; j++ {
			m[i][j] /= norm
		}
	}
	return m
}

// splitmix advances a SplitMix64 state and returns the mixed output; the
// output doubles as the next state.
func splitmix(x uint64) uint64 {
	x += 0x9E3779B97F4A7C15
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9
	x = (x ^ (x >> 27)) * 0x94D049BB133111EB
	return x ^ (x >> 31)
}

// encode lays out the model file: magic, vocab size and dim as uint32, then
// emb1, emb2, w (row-major, VocabSize×Dim) and bias, little-endian float32.
func encode(emb1, emb2, w, bias []float32) []byte {
	out := make([]byte, 0, 12+4*(3*VocabSize*Dim+VocabSize))
	out = append(out, magic[:]...)
	out = binary.LittleEndian.AppendUint32(out, VocabSize)
	out = binary.LittleEndian.AppendUint32(out, Dim)
	for _, part := range [][]float32{emb1, emb2, w, bias} {
		for _, f := range part {
			out = binary.LittleEndian.AppendUint32(out, math.Float32bits(f))
		}
	}
	return out
}
