package model

//go:generate go run ./internal/genmodel -in corpus.txt -out refmodel.bin

import (
	"crypto/sha256"
	_ "embed"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"sync"
)

//go:embed refmodel.bin
var defaultFile []byte

// Model holds the weights of one model file. It is read-only after Load and
// safe for concurrent use.
type Model struct {
	emb1, emb2, w, bias []float32
	digest              string
}

// Load parses a model file.
func Load(file []byte) (*Model, error) {
	if len(file) < 12 || [4]byte(file[:4]) != magic {
		return nil, errors.New("model: not a refengine model file (bad magic)")
	}
	v := binary.LittleEndian.Uint32(file[4:])
	d := binary.LittleEndian.Uint32(file[8:])
	if v != VocabSize || d != Dim {
		return nil, fmt.Errorf("model: file has vocab %d dim %d, want %d and %d", v, d, VocabSize, Dim)
	}
	want := 12 + 4*(3*VocabSize*Dim+VocabSize)
	if len(file) != want {
		return nil, fmt.Errorf("model: file is %d bytes, want %d", len(file), want)
	}
	f := make([]float32, (len(file)-12)/4)
	for i := range f {
		f[i] = math.Float32frombits(binary.LittleEndian.Uint32(file[12+4*i:]))
	}
	n := VocabSize * Dim
	sum := sha256.Sum256(file)
	return &Model{
		emb1:   f[:n:n],
		emb2:   f[n : 2*n : 2*n],
		w:      f[2*n : 3*n : 3*n],
		bias:   f[3*n:],
		digest: hex.EncodeToString(sum[:]),
	}, nil
}

var loadDefault = sync.OnceValues(func() (*Model, error) { return Load(defaultFile) })

// Default returns the committed model, refmodel.bin.
func Default() *Model {
	m, err := loadDefault()
	if err != nil {
		panic("model: committed refmodel.bin does not load: " + err.Error())
	}
	return m
}

// File returns a copy of the committed model file bytes.
func File() []byte { return append([]byte(nil), defaultFile...) }

// Digest returns the lowercase hex sha256 of the model file.
func (m *Model) Digest() string { return m.digest }

// Context is what the network reads: the previous token and the one before.
type Context struct{ Prev, Prev2 int }

// Logits writes one logit per token for ctx into out (len VocabSize),
// reducing the hidden dimension in `splits` ranges. splits must be one of
// Splits.
func (m *Model) Logits(ctx Context, splits int, out []float32) {
	var h [Dim]float32
	e1 := m.emb1[ctx.Prev*Dim : (ctx.Prev+1)*Dim]
	e2 := m.emb2[ctx.Prev2*Dim : (ctx.Prev2+1)*Dim]
	for d := range h {
		h[d] = e1[d] + e2[d]
	}
	span := Dim / splits
	for v := 0; v < VocabSize; v++ {
		row := m.w[v*Dim : (v+1)*Dim]
		total := m.bias[v]
		for s := 0; s < splits; s++ {
			total += partial(h[s*span:(s+1)*span], row[s*span:(s+1)*span])
		}
		out[v] = total
	}
}

// Splits lists the split counts Logits accepts: the divisors of Dim whose
// ranges are whole blocks.
var Splits = []int{1, 2, 3, 4, 6, 8, 12, 24}

// block is the number of products summed in float32 before each
// low-precision accumulation step.
const block = 8

// partial accumulates dot(h, w) blockwise into a bfloat16-like running sum.
func partial(h, w []float32) float32 {
	var acc float32
	for i := 0; i+block <= len(h); i += block {
		hb, wb := h[i:i+block:i+block], w[i:i+block:i+block]
		s := float32(hb[0]*wb[0]) + float32(hb[1]*wb[1]) + float32(hb[2]*wb[2]) + float32(hb[3]*wb[3])
		s += float32(hb[4]*wb[4]) + float32(hb[5]*wb[5]) + float32(hb[6]*wb[6]) + float32(hb[7]*wb[7])
		acc = lowp(acc + s)
	}
	return acc
}

// accBits is the number of explicit mantissa bits the accumulator keeps
// (bfloat16 keeps 7).
const accBits = 7

// lowp rounds x to accBits mantissa bits, to nearest, ties to even.
func lowp(x float32) float32 {
	const drop = 23 - accBits
	b := math.Float32bits(x)
	b += (1<<(drop-1) - 1) + (b>>drop)&1
	return math.Float32frombits(b &^ (1<<drop - 1))
}
