package core

import "sync"

// Clock is the pool's only source of time, in milliseconds. Decisions
// never read the wall clock.
type Clock interface {
	Now() int64
}

// ManualClock is a Clock that moves only when told; tests and simulations
// use it. The zero value reads 0. It is safe for concurrent use.
type ManualClock struct {
	mu sync.Mutex
	ms int64
}

// Now returns the current reading.
func (c *ManualClock) Now() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ms
}

// Advance moves the clock forward by d milliseconds (negative d is
// ignored) and returns the new reading. The reading saturates at
// math.MaxInt64: time never wraps backwards.
func (c *ManualClock) Advance(d int64) int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	if d > 0 {
		c.ms = sat(c.ms, d)
	}
	return c.ms
}

// Set moves the clock to ms if that is not in the past.
func (c *ManualClock) Set(ms int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ms = max(c.ms, ms)
}
