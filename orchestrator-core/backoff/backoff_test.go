package backoff_test

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"testing"

	"pgregory.net/rapid"

	"orchcore.dev/orchestrator-core/backoff"
	"orchcore.dev/orchestrator-core/internal/proptest"
)

func mustNew(t interface {
	Helper()
	Fatal(...any)
}, cfg backoff.Config, task string) backoff.Backoff {
	t.Helper()
	b, err := backoff.New(cfg, task)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The delay of attempt n lies in [c/2, c] with c = min(cap, base*2^(n-1)).
func TestBounds(t *testing.T) {
	cfg := backoff.Config{BaseMs: 100, CapMs: 1000, MaxRetries: 6, Seed: 7}
	b := mustNew(t, cfg, "task-1")
	ceilings := []int64{100, 200, 400, 800, 1000, 1000} // written out by hand
	for i, c := range ceilings {
		attempt := i + 1
		t.Run(fmt.Sprintf("attempt=%d", attempt), func(t *testing.T) {
			t.Attr("req", "OC-CORE-1025")
			d, ok := b.Next(attempt)
			if !ok || d < c/2 || d > c {
				t.Fatalf("Next(%d) = %d, %v; want ok and in [%d, %d]", attempt, d, ok, c/2, c)
			}
		})
	}
}

func TestAttemptCap(t *testing.T) {
	t.Attr("req", "OC-CORE-1025")
	b := mustNew(t, backoff.Config{BaseMs: 10, CapMs: 100, MaxRetries: 3}, "t")
	for attempt, want := range map[int]bool{-1: false, 0: false, 1: true, 3: true, 4: false, math.MaxInt: false} {
		if _, ok := b.Next(attempt); ok != want {
			t.Errorf("Next(%d) ok = %v, want %v", attempt, ok, want)
		}
	}
	none := mustNew(t, backoff.Config{BaseMs: 10, CapMs: 100}, "t")
	if _, ok := none.Next(1); ok {
		t.Error("MaxRetries 0 allowed a retry")
	}
}

func TestGiveUpCarriesCause(t *testing.T) {
	t.Attr("req", "OC-CORE-1025")
	b := mustNew(t, backoff.Config{BaseMs: 10, CapMs: 100, MaxRetries: 2}, "t")
	cause := errors.New("replica r1 died")
	if d, err := b.Retry(2, cause); err != nil || d < 10 || d > 20 {
		t.Fatalf("Retry(2) = %d, %v", d, err)
	}
	_, err := b.Retry(3, cause)
	var g *backoff.GiveUp
	if !errors.As(err, &g) || g.Attempts != 2 || !errors.Is(err, cause) {
		t.Fatalf("Retry(3) err = %v, want GiveUp after 2 wrapping the cause", err)
	}
}

// The guard: huge attempts and bases saturate at the cap instead of
// overflowing into negative or tiny delays.
func TestOverflowGuard(t *testing.T) {
	cases := []struct {
		name         string
		base, capMs  int64
		attempt      int
		wantLo, want int64
	}{
		{"shift past 63", 1, math.MaxInt64, 200, math.MaxInt64 / 2, math.MaxInt64},
		{"shift exactly 63", 1, math.MaxInt64, 64, math.MaxInt64 / 2, math.MaxInt64},
		{"shift 62 fits", 1, math.MaxInt64, 63, 1 << 61, 1 << 62},
		{"big base doubles past int64", 1 << 62, math.MaxInt64, 2, math.MaxInt64 / 2, math.MaxInt64},
		{"max attempt", 3, 5000, math.MaxInt, 2500, 5000},
		{"zero base", 0, 5000, 40, 0, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Attr("req", "OC-CORE-1025")
			b := mustNew(t, backoff.Config{BaseMs: c.base, CapMs: c.capMs, MaxRetries: math.MaxInt, Seed: 1}, "t")
			d, ok := b.Next(c.attempt)
			if !ok || d < c.wantLo || d > c.want {
				t.Fatalf("Next(%d) = %d, %v; want in [%d, %d]", c.attempt, d, ok, c.wantLo, c.want)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	t.Attr("req", "OC-CORE-1025")
	for _, bad := range []backoff.Config{
		{BaseMs: -1, CapMs: 10},
		{BaseMs: 20, CapMs: 10},
		{BaseMs: 1, CapMs: 10, MaxRetries: -1},
	} {
		if _, err := backoff.New(bad, "t"); err == nil {
			t.Errorf("New(%+v) accepted", bad)
		}
	}
}

// Jitter comes from the seed and task id only: same inputs, same delays;
// other seeds spread the delays.
func TestSeededJitter(t *testing.T) {
	t.Attr("req", "OC-CORE-1025")
	cfg := backoff.Config{BaseMs: 100, CapMs: 100000, MaxRetries: 5, Seed: 42}
	a, b := mustNew(t, cfg, "task"), mustNew(t, cfg, "task")
	for n := 1; n <= 5; n++ {
		x, _ := a.Next(n)
		y, _ := b.Next(n)
		if x != y {
			t.Fatalf("attempt %d: %d != %d for identical inputs", n, x, y)
		}
	}
	seen := map[int64]bool{}
	for seed := range uint64(64) {
		cfg.Seed = seed
		d, _ := mustNew(t, cfg, "task").Next(5)
		seen[d] = true
	}
	other := map[int64]bool{}
	cfg.Seed = 42
	for _, task := range []string{"a", "b", "c", "d", "e", "f", "g", "h"} {
		d, _ := mustNew(t, cfg, task).Next(5)
		other[d] = true
	}
	// attempt 5 draws from [800, 1600]: 64 seeds landing on few values,
	// or 8 tasks on one, would mean the seed or task id is ignored.
	if len(seen) < 32 || len(other) < 4 {
		t.Fatalf("jitter barely varies: %d distinct over seeds, %d over tasks", len(seen), len(other))
	}
}

type nextFunc func(b backoff.Backoff, attempt int) (int64, bool)

func TestPropertyBounds(t *testing.T) {
	t.Attr("req", "OC-CORE-1025")
	rapid.Check(t, boundsProperty(backoff.Backoff.Next))
}

// One millisecond too long: the property must reject it.
func TestPropertyCatchesOverCap(t *testing.T) {
	t.Attr("req", "OC-CORE-1025")
	failed, _ := proptest.Fails(t, boundsProperty(func(b backoff.Backoff, n int) (int64, bool) {
		d, ok := b.Next(n)
		return d + 1, ok
	}))
	if !failed {
		t.Fatal("the property accepted delays above the ceiling")
	}
}

func boundsProperty(next nextFunc) func(*rapid.T) {
	return func(t *rapid.T) {
		capMs := rapid.Int64Range(0, math.MaxInt64).Draw(t, "cap")
		base := rapid.Int64Range(0, capMs).Draw(t, "base")
		maxAttempts := rapid.IntRange(0, 200).Draw(t, "max")
		seed := rapid.Uint64().Draw(t, "seed")
		task := rapid.StringN(0, 8, -1).Draw(t, "task")
		b := mustNew(t, backoff.Config{BaseMs: base, CapMs: capMs, MaxRetries: maxAttempts, Seed: seed}, task)
		attempt := rapid.IntRange(-2, 300).Draw(t, "attempt")
		d, ok := next(b, attempt)
		if ok != (attempt >= 1 && attempt <= maxAttempts) {
			t.Fatalf("ok = %v for attempt %d of %d", ok, attempt, maxAttempts)
		}
		if !ok {
			return
		}
		// Reference ceiling in exact arithmetic, then the cap.
		c := new(big.Int).Lsh(big.NewInt(base), uint(attempt-1))
		top := capMs
		if c.Cmp(big.NewInt(capMs)) < 0 {
			top = c.Int64()
		}
		if d < 0 || d > capMs || d > top || d < top/2 {
			t.Fatalf("delay %d outside [%d, %d] (cap %d)", d, top/2, top, capMs)
		}
		again, _ := next(b, attempt)
		if again != d {
			t.Fatalf("Next not repeatable: %d then %d", d, again)
		}
	}
}

func ExampleBackoff_Next() {
	b, _ := backoff.New(backoff.Config{BaseMs: 100, CapMs: 400, MaxRetries: 3, Seed: 1}, "task-7")
	for attempt := 1; ; attempt++ {
		d, ok := b.Next(attempt)
		if !ok {
			fmt.Println("give up after", attempt-1, "retries: the task ends FAILED")
			break
		}
		// wait d ms, then re-dispatch within the same replica set
		fmt.Println("attempt", attempt, "delay within cap:", d <= 400)
	}
	// Output:
	// attempt 1 delay within cap: true
	// attempt 2 delay within cap: true
	// attempt 3 delay within cap: true
	// give up after 3 retries: the task ends FAILED
}
