package core

import "math"

// sat is a+b for a, b >= 0, saturating at math.MaxInt64: token counts
// reported by a dispatcher can be anything up to that, and a sum of them
// must never wrap negative (a negative count would settle a job as free).
func sat(a, b int64) int64 {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}
