package engine

import (
	"hash/fnv"

	"orchcore.dev/test-harness/refengine/model"
	"orchcore.dev/test-harness/refengine/sampler"
)

// Version is the built-in engine_version.
const Version = "refengine-0.1.0"

// defaultSplits is the invariant split of the built-in version.
const defaultSplits = 4

// Engine generates tokens with one model under one engine version. It is
// safe for concurrent use.
type Engine struct {
	m       *model.Model
	version string
	mix     uint64
	splits  int
	batch   []int
}

// New returns an engine for m. An empty version means Version; any other
// string simulates a different build.
func New(m *model.Model, version string) *Engine {
	if version == "" {
		version = Version
	}
	h := fnv.New64a()
	h.Write([]byte(version))
	e := &Engine{m: m, version: version, mix: h.Sum64(), splits: defaultSplits}
	if version != Version {
		e.splits = model.Splits[e.mix%uint64(len(model.Splits))]
	}
	for _, s := range model.Splits {
		if s != e.splits {
			e.batch = append(e.batch, s)
		}
	}
	return e
}

// Version returns the engine_version.
func (e *Engine) Version() string { return e.version }

// Model returns the engine's model.
func (e *Engine) Model() *model.Model { return e.m }

// InvariantSplits is the reduction split of a step that runs alone.
func (e *Engine) InvariantSplits() int { return e.splits }

// BatchSplits is the reduction split of a step in a batch of size b when
// the engine is not batch-invariant.
func (e *Engine) BatchSplits(b int) int {
	if b <= 1 {
		return e.splits
	}
	return e.batch[(b-2)%len(e.batch)]
}

// Decoder generates one stream. It is not safe for concurrent use.
type Decoder struct {
	e       *Engine
	ctx     model.Context
	params  sampler.Params
	rng     sampler.Rand
	scratch sampler.Scratch
	logits  []float32
}

// NewDecoder starts a stream after prompt with the given sampling settings
// and seed.
func (e *Engine) NewDecoder(prompt []int, p sampler.Params, seed uint64) *Decoder {
	d := &Decoder{
		e:      e,
		ctx:    model.Context{Prev: model.Newline, Prev2: model.Newline},
		params: p,
		rng:    *sampler.NewRand(seed ^ e.mix),
		logits: make([]float32, model.VocabSize),
	}
	for _, t := range prompt {
		d.push(t)
	}
	return d
}

func (d *Decoder) push(t int) { d.ctx = model.Context{Prev: t, Prev2: d.ctx.Prev} }

// Context is what the next step's logits must be computed for.
func (d *Decoder) Context() model.Context { return d.ctx }

// Logits is the buffer the next step's logits go into.
func (d *Decoder) Logits() []float32 { return d.logits }

// Accept samples a token from Logits, appends it to the context and returns
// it.
func (d *Decoder) Accept() int {
	t := sampler.Sample(d.logits, d.params, &d.rng, &d.scratch)
	d.push(t)
	return t
}

// Next computes the logits with the invariant split and accepts a token.
func (d *Decoder) Next() int {
	d.e.m.Logits(d.ctx, d.e.splits, d.logits)
	return d.Accept()
}

// Generate returns n tokens after prompt, each step computed alone.
func (e *Engine) Generate(prompt []int, p sampler.Params, seed uint64, n int) []int {
	d := e.NewDecoder(prompt, p, seed)
	out := make([]int, n)
	for i := range out {
		out[i] = d.Next()
	}
	return out
}
