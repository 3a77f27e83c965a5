package sampler

import (
	"math"
	"slices"
)

// Profile names the sampling algorithm (sampler_profile_version).
const Profile = "refengine-sampler/1"

// Params are the sampling settings of one request.
type Params struct {
	Temperature float64
	TopK        int
	TopP        float64
	MinP        float64
}

// Rand is a SplitMix64 generator.
type Rand struct{ state uint64 }

// NewRand returns a generator seeded with seed.
func NewRand(seed uint64) *Rand { return &Rand{state: seed} }

// Uint64 returns the next 64 random bits.
func (r *Rand) Uint64() uint64 {
	r.state += 0x9E3779B97F4A7C15
	z := r.state
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

// Float64 returns a number in [0, 1) with 53 random bits.
func (r *Rand) Float64() float64 { return float64(r.Uint64()>>11) / (1 << 53) }

// Scratch is reusable working memory for Sample.
type Scratch struct {
	cand []cand
}

type cand struct {
	id    int
	logit float64
	p     float64
}

// Sample returns the token chosen from logits under p, drawing from r.
func Sample(logits []float32, p Params, r *Rand, s *Scratch) int {
	if p.Temperature <= 0 {
		return argmax(logits)
	}
	if s == nil {
		s = &Scratch{}
	}
	c := s.cand[:0]
	for id, l := range logits {
		c = append(c, cand{id: id, logit: float64(l)})
	}
	s.cand = c
	slices.SortFunc(c, func(a, b cand) int {
		switch {
		case a.logit > b.logit:
			return -1
		case a.logit < b.logit:
			return 1
		}
		return a.id - b.id
	})
	if p.TopK > 0 && p.TopK < len(c) {
		c = c[:p.TopK]
	}
	softmax(c, 1)
	if p.TopP < 1 {
		var cum float64
		for i := range c {
			cum += c[i].p
			if cum >= p.TopP {
				c = c[:i+1]
				break
			}
		}
	}
	if p.MinP > 0 {
		floor := p.MinP * c[0].p
		n := 1
		for n < len(c) && c[n].p >= floor {
			n++
		}
		c = c[:n]
	}
	total := softmax(c, p.Temperature)
	u := r.Float64() * total
	var cum float64
	for _, x := range c {
		cum += x.p
		if cum > u {
			return x.id
		}
	}
	return c[len(c)-1].id
}

// softmax sets p to the unnormalised weights exp((logit-max)/temp), then
// normalises them, and returns their sum after normalisation (1 up to
// rounding).
func softmax(c []cand, temp float64) float64 {
	top := c[0].logit
	var sum float64
	for i := range c {
		c[i].p = math.Exp((c[i].logit - top) / temp)
		sum += c[i].p
	}
	var total float64
	for i := range c {
		c[i].p /= sum
		total += c[i].p
	}
	return total
}

func argmax(logits []float32) int {
	best := 0
	for i, l := range logits {
		if l > logits[best] {
			best = i
		}
	}
	return best
}
