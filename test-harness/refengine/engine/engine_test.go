package engine_test

import (
	"slices"
	"testing"

	"orchcore.dev/test-harness/refengine/engine"
	"orchcore.dev/test-harness/refengine/model"
	"orchcore.dev/test-harness/refengine/sampler"
)

var defaults = sampler.Params{Temperature: 0.8, TopK: 40, TopP: 0.95, MinP: 0.05}

func prompt(t *testing.T, s string) []int {
	t.Helper()
	ids, err := model.Tokenize(s)
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

func TestGenerateIsAPureFunction(t *testing.T) {
	t.Attr("req", "OC-CORE-1030")
	p := prompt(t, "Letters from the north")
	a := engine.New(model.Default(), "").Generate(p, defaults, 77, 200)
	b := engine.New(model.Default(), "").Generate(p, defaults, 77, 200)
	if !slices.Equal(a, b) {
		t.Errorf("two engines, same inputs, different streams:\n%q\n%q", model.Detokenize(a), model.Detokenize(b))
	}
}

// The model reads only the last two tokens, so the prompts differ there.
func TestVersionSeedAndPromptChangeTheStream(t *testing.T) {
	t.Attr("req", "OC-TEST-7005")
	p := prompt(t, "Letters from the north")
	base := engine.New(model.Default(), "").Generate(p, defaults, 77, 64)
	for name, other := range map[string][]int{
		"engine version": engine.New(model.Default(), "refengine-0.2.0").Generate(p, defaults, 77, 64),
		"seed":           engine.New(model.Default(), "").Generate(p, defaults, 78, 64),
		"prompt":         engine.New(model.Default(), "").Generate(prompt(t, "Letters from the east"), defaults, 77, 64),
	} {
		if slices.Equal(base, other) {
			t.Errorf("changing the %s left the stream unchanged: %q", name, model.Detokenize(base))
		}
	}
}

func TestBuiltInVersion(t *testing.T) {
	e := engine.New(model.Default(), "")
	if e.Version() != engine.Version || e.InvariantSplits() != 4 {
		t.Errorf("version %q splits %d", e.Version(), e.InvariantSplits())
	}
	if got := engine.New(model.Default(), engine.Version).Generate(nil, defaults, 1, 32); !slices.Equal(got, e.Generate(nil, defaults, 1, 32)) {
		t.Error("naming the built-in version explicitly changed the stream")
	}
}

func TestBatchSplitsDifferFromInvariantForEveryBatch(t *testing.T) {
	for _, v := range []string{"", "refengine-0.2.0", "x"} {
		e := engine.New(model.Default(), v)
		if e.BatchSplits(1) != e.InvariantSplits() {
			t.Errorf("%q: a batch of one uses split %d, want the invariant %d", v, e.BatchSplits(1), e.InvariantSplits())
		}
		for b := 2; b <= 64; b++ {
			s := e.BatchSplits(b)
			if s == e.InvariantSplits() || !slices.Contains(model.Splits, s) {
				t.Errorf("%q: batch %d uses split %d (invariant %d)", v, b, s, e.InvariantSplits())
			}
		}
	}
}

// TestBatchedStepsChangeSampledStreams shows the size of the effect the
// continuous-batching negative control relies on: with llama.cpp's default
// sampler, computing every step in a batch of two changes most 64-token
// streams.
func TestBatchedStepsChangeSampledStreams(t *testing.T) {
	t.Attr("req", "OC-TEST-7005")
	e := engine.New(model.Default(), "")
	m := e.Model()
	p := prompt(t, "The market opened at dawn")
	changed := 0
	const streams = 32
	for seed := range uint64(streams) {
		alone := e.NewDecoder(p, defaults, seed)
		batched := e.NewDecoder(p, defaults, seed)
		for range 64 {
			m.Logits(alone.Context(), e.InvariantSplits(), alone.Logits())
			m.Logits(batched.Context(), e.BatchSplits(2), batched.Logits())
			if alone.Accept() != batched.Accept() {
				changed++
				break
			}
		}
	}
	if changed < streams/4 {
		t.Errorf("batching changed only %d of %d streams", changed, streams)
	}
	t.Logf("batching changed %d of %d streams", changed, streams)
}
