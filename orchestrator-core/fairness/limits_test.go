package fairness_test

import (
	"errors"
	"fmt"
	"math"
	"testing"

	"orchcore.dev/contracts/config-schema/config"
	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/fairness"
	"orchcore.dev/orchestrator-core/queue"
)

// TestWeightAboveMaxRefused: weights whose sum would overflow, or that
// exceed MaxWeight, are refused by every constructor, so a validated
// configuration can never make a period of 0 (which divided by zero).
func TestWeightAboveMaxRefused(t *testing.T) {
	cases := []struct {
		kind    fairness.Kind
		weights []int
	}{
		{"weighted", []int{math.MaxInt64, math.MaxInt64}},
		{"weighted", []int{math.MaxInt64}},
		{"weighted", []int{1, fairness.MaxWeight + 1}},
		{"strict", []int{fairness.MaxWeight + 1, 1}},
	}
	for _, c := range cases {
		if _, err := fairness.New(c.kind, c.weights); err == nil {
			t.Errorf("New(%q, %v) succeeded", c.kind, c.weights)
		}
	}
	if _, err := fairness.NewWeighted([]int{math.MaxInt64, math.MaxInt64}); err == nil {
		t.Error("NewWeighted accepted weights whose sum overflows")
	}
}

// TestMaxWeightEveryClass: 64 classes at MaxWeight are accepted and every
// pick stays in range, so the largest accepted configuration is usable.
func TestMaxWeightEveryClass(t *testing.T) {
	w := make([]int, queue.MaxClasses)
	for i := range w {
		w[i] = fairness.MaxWeight
	}
	p, err := fairness.NewWeighted(w)
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Period(63); got != 64 {
		t.Fatalf("Period(63) = %d, want 64", got)
	}
	seen := map[int]int{}
	for range 128 {
		k, ok := fairness.Pick(p, ^uint64(0))
		if !ok {
			t.Fatal("no pick with every class backlogged")
		}
		seen[k]++
	}
	for k := range 64 {
		if seen[k] != 2 {
			t.Fatalf("class %d served %d times in 128 dispatches, want 2", k, seen[k])
		}
	}
}

// TestLimitsMatchConfig: the configuration schema bounds the classes and
// weights exactly where the core does, so a file orchcfg accepts is one
// the core accepts.
func TestLimitsMatchConfig(t *testing.T) {
	if fairness.MaxWeight != config.MaxWeight {
		t.Errorf("fairness.MaxWeight %d, config.MaxWeight %d", fairness.MaxWeight, config.MaxWeight)
	}
	if queue.MaxClasses != config.MaxClasses {
		t.Errorf("queue.MaxClasses %d, config.MaxClasses %d", queue.MaxClasses, config.MaxClasses)
	}
}

// TestBadIndexIsSafe: out-of-range class indexes read as zero and count
// nothing instead of panicking.
func TestBadIndexIsSafe(t *testing.T) {
	p, err := fairness.NewWeighted([]int{2, 1})
	if err != nil {
		t.Fatal(err)
	}
	if p.Period(-1) != 0 || p.Period(2) != 0 {
		t.Errorf("Period out of range = %d, %d, want 0", p.Period(-1), p.Period(2))
	}
	s := fairness.NewShares(2)
	s.Admit(2)
	s.Admit(-1)
	s.Dispatch(5)
	s.Admit(1)
	s.Dispatch(1)
	if s.Admitted(2) != 0 || s.Dispatched(-1) != 0 || s.AdmissionShare(9) != 0 || s.DispatchShare(-3) != 0 {
		t.Error("out-of-range reads must be 0")
	}
	if s.AdmissionShare(1) != 1 || s.DispatchShare(1) != 1 {
		t.Errorf("bad indexes were counted: shares %v %v, want 1 1", s.AdmissionShare(1), s.DispatchShare(1))
	}
}

// TestPoolRefusesHugeWeights: the Pool surfaces the refusal as
// INVALID_PARAMS instead of building a picker that divides by zero.
func TestPoolRefusesHugeWeights(t *testing.T) {
	_, err := core.New(core.Config{ID: "p", Classes: []queue.Class{
		{Name: "x", Rank: 2, Weight: math.MaxInt64, Capacity: 1},
		{Name: "y", Rank: 1, Weight: math.MaxInt64, Capacity: 1},
	}})
	var e *core.Error
	if !errors.As(err, &e) || e.Code != core.InvalidParams {
		t.Fatalf("core.New = %v, want INVALID_PARAMS", err)
	}
}

// TestCoreAcceptsSchemaBounds: FromConfig accepts exactly up to the
// bounds the schema states (config.MaxClasses classes, weights up to
// config.MaxWeight, any capacity the schema's integer allows) and refuses
// one past them with INVALID_PARAMS, under either fairness policy.
func TestCoreAcceptsSchemaBounds(t *testing.T) {
	build := func(n, weight int) *config.Config {
		c := &config.Config{Version: 1}
		for i := range n {
			c.PriorityClasses = append(c.PriorityClasses, config.PriorityClass{
				Name: fmt.Sprintf("c%d", i), Rank: i, Weight: weight, Capacity: math.MaxInt64,
			})
		}
		return c
	}
	for _, policy := range []string{config.FairnessWeighted, config.FairnessStrict} {
		cases := []struct {
			name      string
			cfg       *config.Config
			wantValid bool
		}{
			{"at the bounds", build(config.MaxClasses, config.MaxWeight), true},
			{"one class too many", build(config.MaxClasses+1, 1), false},
			{"weight one too big", build(2, config.MaxWeight+1), false},
		}
		for _, c := range cases {
			c.cfg.Pools = []config.Pool{{ID: "p", ModelID: "m", Fairness: policy}}
			_, err := core.FromConfig(c.cfg, "p")
			var e *core.Error
			switch {
			case c.wantValid && err != nil:
				t.Errorf("%s, %s: %v", policy, c.name, err)
			case !c.wantValid && (!errors.As(err, &e) || e.Code != core.InvalidParams):
				t.Errorf("%s, %s: %v, want INVALID_PARAMS", policy, c.name, err)
			}
		}
	}
}
