package core_test

import (
	"math"
	"testing"

	core "orchcore.dev/orchestrator-core"
)

// TestManualClockNeverGoesBack: Advance near MaxInt64 used to wrap to a
// negative reading; it saturates, and Set never moves time back.
func TestManualClockNeverGoesBack(t *testing.T) {
	t.Attr("req", "OC-CORE-1022")
	c := &core.ManualClock{}
	steps := []struct {
		advance, want int64
	}{
		{5, 5},
		{-3, 5},
		{math.MaxInt64 - 10, math.MaxInt64 - 5},
		{4, math.MaxInt64 - 1},
		{2, math.MaxInt64},
		{math.MaxInt64, math.MaxInt64},
	}
	for _, s := range steps {
		if got := c.Advance(s.advance); got != s.want || c.Now() != s.want {
			t.Fatalf("Advance(%d) = %d (Now %d), want %d", s.advance, got, c.Now(), s.want)
		}
	}
	c.Set(7)
	if c.Now() != math.MaxInt64 {
		t.Fatalf("Set(7) moved the clock back to %d", c.Now())
	}
}
