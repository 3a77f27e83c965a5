package sampler_test

import (
	"math"
	"slices"
	"sort"
	"testing"

	"pgregory.net/rapid"

	"orchcore.dev/test-harness/refengine/sampler"
)

func TestRandIsSplitMix64(t *testing.T) {
	// Reference outputs of SplitMix64 seeded with 0.
	want := []uint64{0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4, 0x06c45d188009454f}
	r := sampler.NewRand(0)
	for i, w := range want {
		if got := r.Uint64(); got != w {
			t.Errorf("output %d = %#x, want %#x", i, got, w)
		}
	}
}

func TestGreedyPicksLowestIDAmongTies(t *testing.T) {
	logits := []float32{1, 3, 2, 3}
	if got := sampler.Sample(logits, sampler.Params{}, sampler.NewRand(1), nil); got != 1 {
		t.Errorf("greedy = %d, want 1", got)
	}
	if got := sampler.Sample(logits, sampler.Params{Temperature: 1, TopK: 1}, sampler.NewRand(1), nil); got != 1 {
		t.Errorf("top_k 1 = %d, want 1", got)
	}
}

func TestFrequenciesFollowTemperature(t *testing.T) {
	// Logits 0 and ln 3 at temperature 1 give probabilities 1/4 and 3/4;
	// at temperature 2 they give 1/(1+√3) and √3/(1+√3).
	logits := []float32{0, float32(math.Log(3))}
	for _, c := range []struct{ temp, want float64 }{{1, 0.75}, {2, math.Sqrt(3) / (1 + math.Sqrt(3))}} {
		r := sampler.NewRand(7)
		n := 0
		const draws = 20000
		for range draws {
			n += sampler.Sample(logits, sampler.Params{Temperature: c.temp, TopP: 1}, r, nil)
		}
		if got := float64(n) / draws; math.Abs(got-c.want) > 0.02 {
			t.Errorf("temperature %v: token 1 drawn %.3f of the time, want %.3f", c.temp, got, c.want)
		}
	}
}

// allowed is a plain reimplementation of the filters of Profile: the set of
// ids Sample may return.
func allowed(logits []float32, p sampler.Params) map[int]bool {
	ids := make([]int, len(logits))
	for i := range ids {
		ids[i] = i
	}
	sort.SliceStable(ids, func(a, b int) bool { return logits[ids[a]] > logits[ids[b]] })
	if p.TopK > 0 && p.TopK < len(ids) {
		ids = ids[:p.TopK]
	}
	probs := make([]float64, len(ids))
	var sum float64
	for i, id := range ids {
		probs[i] = math.Exp(float64(logits[id]) - float64(logits[ids[0]]))
		sum += probs[i]
	}
	for i := range probs {
		probs[i] /= sum
	}
	keep := len(ids)
	if p.TopP < 1 {
		var cum float64
		for i := range probs {
			cum += probs[i]
			if cum >= p.TopP {
				keep = i + 1
				break
			}
		}
	}
	out := map[int]bool{}
	for i := 0; i < keep; i++ {
		if i == 0 || probs[i] >= p.MinP*probs[0] {
			out[ids[i]] = true
		}
	}
	return out
}

func TestSampleStaysInsideTheFilters(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 40).Draw(t, "vocab")
		logits := make([]float32, n)
		for i := range logits {
			logits[i] = float32(rapid.IntRange(-40, 40).Draw(t, "logit")) / 4
		}
		p := sampler.Params{
			Temperature: float64(rapid.IntRange(1, 30).Draw(t, "temp10")) / 10,
			TopK:        rapid.IntRange(0, n+2).Draw(t, "top_k"),
			TopP:        float64(rapid.IntRange(0, 100).Draw(t, "top_p%")) / 100,
			MinP:        float64(rapid.IntRange(0, 100).Draw(t, "min_p%")) / 100,
		}
		ok := allowed(logits, p)
		r := sampler.NewRand(rapid.Uint64().Draw(t, "seed"))
		var s sampler.Scratch
		for range 20 {
			if got := sampler.Sample(logits, p, r, &s); !ok[got] {
				t.Fatalf("sampled %d outside allowed %v for %v, %+v", got, ok, logits, p)
			}
		}
	})
}

func TestSameSeedSameTokens(t *testing.T) {
	logits := []float32{0.1, 0.5, 0.2, 0.9, 0.3, 0.0}
	p := sampler.Params{Temperature: 1, TopP: 1}
	draw := func(seed uint64) []int {
		r := sampler.NewRand(seed)
		out := make([]int, 50)
		for i := range out {
			out[i] = sampler.Sample(logits, p, r, nil)
		}
		return out
	}
	if !slices.Equal(draw(3), draw(3)) {
		t.Error("seed 3 gave two different sequences")
	}
	if slices.Equal(draw(3), draw(4)) {
		t.Error("seeds 3 and 4 gave the same 50 tokens")
	}
}

func TestSampleDoesNotAllocate(t *testing.T) {
	logits := make([]float32, 96)
	for i := range logits {
		logits[i] = float32(i%7) / 3
	}
	r := sampler.NewRand(1)
	var s sampler.Scratch
	p := sampler.Params{Temperature: 0.8, TopK: 40, TopP: 0.95, MinP: 0.05}
	sampler.Sample(logits, p, r, &s)
	if n := testing.AllocsPerRun(100, func() { sampler.Sample(logits, p, r, &s) }); n != 0 {
		t.Errorf("Sample allocates %v times per call", n)
	}
}
