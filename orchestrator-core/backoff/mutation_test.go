package backoff_test

// Tests that kill the mutants gremlins found alive (make mutation,
// docs/mutation.md): the attempt count of a GiveUp at the edges, and the
// exact jitter formula that doc.go documents.

import (
	"errors"
	"hash/fnv"
	"math"
	"math/big"
	"testing"

	"pgregory.net/rapid"

	"orchcore.dev/orchestrator-core/backoff"
	"orchcore.dev/orchestrator-core/internal/proptest"
)

// GiveUp.Attempts is the number of retries made, in [0, MaxRetries],
// whatever the attempt number Retry is called with, MaxInt and MinInt
// included (no overflow of attempt-1).
func TestGiveUpAttemptsAtTheEdges(t *testing.T) {
	cause := errors.New("replica failed")
	cases := []struct {
		name          string
		max, attempt  int
		wantAttempts  int
		wantRetryMade bool
	}{
		{"first attempt out of range below", 3, 0, 0, false},
		{"negative attempt", 3, -5, 0, false},
		{"MinInt attempt", 3, math.MinInt, 0, false},
		{"one past the last retry", 3, 4, 3, false},
		{"far past the last retry", 3, 1000, 3, false},
		{"MaxInt attempt", 3, math.MaxInt, 3, false},
		{"no retries allowed", 0, 1, 0, false},
		{"MaxInt retries allowed, MaxInt attempt", math.MaxInt, math.MaxInt, 0, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Attr("req", "OC-CORE-1025")
			b := mustNew(t, backoff.Config{BaseMs: 10, CapMs: 100, MaxRetries: c.max}, "task")
			d, err := b.Retry(c.attempt, cause)
			if c.wantRetryMade {
				if err != nil || d < 50 || d > 100 {
					t.Fatalf("Retry(%d) = %d, %v; want a delay in [50, 100]", c.attempt, d, err)
				}
				return
			}
			var g *backoff.GiveUp
			if !errors.As(err, &g) {
				t.Fatalf("Retry(%d) = %d, %v; want a *GiveUp", c.attempt, d, err)
			}
			if g.Attempts != c.wantAttempts || !errors.Is(err, cause) || d != 0 {
				t.Fatalf("Retry(%d): Attempts %d, delay %d, cause kept %v; want Attempts %d, delay 0, cause kept",
					c.attempt, g.Attempts, d, errors.Is(err, cause), c.wantAttempts)
			}
		})
	}
}

// splitmix64 is written here from Steele, Lea and Flood's SplitMix64
// finalizer (the published constants), and checked against the published
// first outputs of a SplitMix64 generator seeded with 0.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

func TestReferenceSplitmix64MatchesPublishedVectors(t *testing.T) {
	const gamma = 0x9e3779b97f4a7c15
	want := []uint64{0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4, 0x06c45d188009454f}
	for i, w := range want {
		if got := splitmix64(uint64(i) * gamma); got != w {
			t.Errorf("output %d = %#x, want %#x", i+1, got, w)
		}
	}
}

func fnv64a(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

// refDelay is the delay of doc.go's formula for the draw r, in exact
// arithmetic: c = min(cap, base*2^(attempt-1)), then
// c/2 + floor(r * (c - c/2 + 1) / 2^64).
func refDelay(cfg backoff.Config, attempt int, r uint64) int64 {
	c := new(big.Int).Lsh(big.NewInt(cfg.BaseMs), uint(attempt-1))
	if c.Cmp(big.NewInt(cfg.CapMs)) > 0 {
		c.SetInt64(cfg.CapMs)
	}
	half := new(big.Int).Rsh(c, 1)
	span := new(big.Int).Sub(c, half)
	span.Add(span, big.NewInt(1))
	off := new(big.Int).Mul(new(big.Int).SetUint64(r), span)
	off.Rsh(off, 64)
	return half.Int64() + off.Int64()
}

// refDraw is doc.go's draw: splitmix64(Seed XOR splitmix64(FNV-1a64(task)
// + attempt)).
func refDraw(cfg backoff.Config, task string, attempt int) uint64 {
	return splitmix64(cfg.Seed ^ splitmix64(fnv64a(task)+uint64(attempt)))
}

type delayFunc func(b backoff.Backoff, cfg backoff.Config, task string, attempt int) int64

// formulaProperty draws a policy, a task and an attempt in [1, MaxRetries]
// and compares delay with the reference formula.
func formulaProperty(delay delayFunc) func(*rapid.T) {
	return func(t *rapid.T) {
		capMs := rapid.Int64Range(0, math.MaxInt64).Draw(t, "cap")
		cfg := backoff.Config{
			CapMs:      capMs,
			BaseMs:     rapid.Int64Range(0, capMs).Draw(t, "base"),
			MaxRetries: rapid.IntRange(1, 100).Draw(t, "max"),
			Seed:       rapid.Uint64().Draw(t, "seed"),
		}
		task := rapid.StringN(0, 12, -1).Draw(t, "task")
		n := rapid.IntRange(1, cfg.MaxRetries).Draw(t, "attempt")
		b := mustNew(t, cfg, task)
		got, want := delay(b, cfg, task, n), refDelay(cfg, n, refDraw(cfg, task, n))
		if got != want {
			t.Fatalf("delay of attempt %d = %d, the documented formula gives %d", n, got, want)
		}
	}
}

// The jitter is exactly the documented pure function of (Seed, task id,
// attempt), so a schedule recorded by one build is the schedule of the
// next, and the draw of every attempt is keyed by all three.
func TestDelayIsTheDocumentedFormula(t *testing.T) {
	t.Attr("req", "OC-CORE-1025")
	rapid.Check(t, formulaProperty(func(b backoff.Backoff, _ backoff.Config, _ string, n int) int64 {
		d, _ := b.Next(n)
		return d
	}))
}

// Wrong keyings the property must reject: the attempt subtracted from the
// task hash instead of added, the task id ignored, the seed ignored.
func TestFormulaPropertyCatchesWrongKeying(t *testing.T) {
	t.Attr("req", "OC-CORE-1025")
	wrong := map[string]delayFunc{
		"hash minus attempt": func(_ backoff.Backoff, cfg backoff.Config, task string, n int) int64 {
			return refDelay(cfg, n, splitmix64(cfg.Seed^splitmix64(fnv64a(task)-uint64(n))))
		},
		"task ignored": func(_ backoff.Backoff, cfg backoff.Config, _ string, n int) int64 {
			b, _ := backoff.New(cfg, "")
			d, _ := b.Next(n)
			return d
		},
		"seed ignored": func(_ backoff.Backoff, cfg backoff.Config, task string, n int) int64 {
			cfg.Seed = 0
			b, _ := backoff.New(cfg, task)
			d, _ := b.Next(n)
			return d
		},
	}
	for name, delay := range wrong {
		t.Run(name, func(t *testing.T) {
			if failed, _ := proptest.Fails(t, formulaProperty(delay)); !failed {
				t.Fatalf("the formula property accepted %s", name)
			}
		})
	}
}
