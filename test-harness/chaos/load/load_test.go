package load_test

import (
	"math"
	"testing"

	"orchcore.dev/test-harness/chaos/load"
)

func spec(seed uint64) load.Spec {
	return load.Spec{Seed: seed, DurationMs: 20000, Rate: 200,
		Classes:      []load.Class{{Name: "hi", Share: 0.5}, {Name: "lo", Share: 0.5}},
		BurstEveryMs: 2000, BurstMs: 500, BurstFactor: 3, Tenants: 3, Sessions: 10,
		PromptMin: 4, PromptMax: 40, NPredictMin: 2, NPredictMax: 8,
		CancelRate: 0.1, RaceFraction: 0.5, CancelMaxMs: 200}
}

func TestSameSeedSameArrivals(t *testing.T) {
	t.Attr("req", "OC-CHAOS-8009")
	a, _ := load.Plan(spec(1))
	b, _ := load.Plan(spec(1))
	c, _ := load.Plan(spec(2))
	if load.Digest(a) != load.Digest(b) {
		t.Fatal("one seed gave two arrival sequences")
	}
	if load.Digest(a) == load.Digest(c) {
		t.Fatal("seeds 1 and 2 gave the same arrivals")
	}
}

func TestRatesBurstsAndCancels(t *testing.T) {
	as, err := load.Plan(spec(3))
	if err != nil {
		t.Fatal(err)
	}
	// Expected count: 200/s for 15 s outside bursts, 600/s for 5 s in them.
	want := 200.0*15 + 600.0*5
	if got := float64(len(as)); math.Abs(got-want) > 5*math.Sqrt(want) {
		t.Fatalf("%v arrivals, want %v within 5 sigma", got, want)
	}
	inBurst, cancels, races := 0, 0, 0
	ids := map[string]bool{}
	for i, a := range as {
		if ids[a.ID] {
			t.Fatalf("duplicate id %s", a.ID)
		}
		ids[a.ID] = true
		if i > 0 && a.AtMs < as[i-1].AtMs {
			t.Fatal("arrivals out of order")
		}
		if a.AtMs%2000 >= 1500 {
			inBurst++
		}
		switch {
		case a.CancelAfterMs == 0:
			races++
			cancels++
		case a.CancelAfterMs > 0:
			cancels++
		}
	}
	// Bursts: 25% of the time, 50% of the expected arrivals.
	if f := float64(inBurst) / float64(len(as)); f < 0.45 || f > 0.55 {
		t.Fatalf("burst fraction %.2f, want about 0.5", f)
	}
	if f := float64(cancels) / float64(len(as)); f < 0.08 || f > 0.12 {
		t.Fatalf("cancel fraction %.3f, want about 0.1", f)
	}
	if races == 0 || races == cancels {
		t.Fatalf("races %d of %d cancels: want both kinds", races, cancels)
	}
}

func TestBadSpecsRefused(t *testing.T) {
	for name, mod := range map[string]func(*load.Spec){
		"zero rate":     func(s *load.Spec) { s.Rate = 0 },
		"negative rate": func(s *load.Spec) { s.Rate = -1 },
		"no duration":   func(s *load.Spec) { s.DurationMs = 0 },
		"empty prompt":  func(s *load.Spec) { s.PromptMax = 1; s.PromptMin = 2 },
		"bad share":     func(s *load.Spec) { s.Classes[0].Share = 0 },
	} {
		s := spec(1)
		mod(&s)
		if _, err := load.Plan(s); err == nil {
			t.Errorf("%s: planned", name)
		}
	}
}
