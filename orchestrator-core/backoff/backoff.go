package backoff

import (
	"errors"
	"fmt"
	"hash/fnv"
	"math/bits"
)

// Config is the retry policy.
type Config struct {
	// BaseMs is the ceiling of the first retry's delay.
	BaseMs int64
	// CapMs bounds every delay.
	CapMs int64
	// MaxRetries is how many retries are allowed; 0 means none. (The
	// configuration's max_attempts counts the first attempt too:
	// MaxRetries = max_attempts - 1.)
	MaxRetries int
	// Seed keys the jitter.
	Seed uint64
}

// Validate reports a policy that cannot be honored.
func (c Config) Validate() error {
	switch {
	case c.BaseMs < 0:
		return errors.New("backoff: base_ms < 0")
	case c.CapMs < c.BaseMs:
		return errors.New("backoff: cap_ms < base_ms")
	case c.MaxRetries < 0:
		return errors.New("backoff: max_retries < 0")
	}
	return nil
}

// Backoff is the retry schedule of one task. It is a value; copying it is
// cheap and safe.
type Backoff struct {
	cfg Config
	key uint64
}

// New returns the schedule of task under cfg.
func New(cfg Config, task string) (Backoff, error) {
	if err := cfg.Validate(); err != nil {
		return Backoff{}, err
	}
	h := fnv.New64a()
	h.Write([]byte(task))
	return Backoff{cfg: cfg, key: h.Sum64()}, nil
}

// Next returns the delay before retry attempt (1 for the first retry), or
// ok=false when attempt is out of [1, MaxRetries]: give up.
func (b Backoff) Next(attempt int) (delayMs int64, ok bool) {
	if attempt < 1 || attempt > b.cfg.MaxRetries {
		return 0, false
	}
	top := ceiling(b.cfg.BaseMs, b.cfg.CapMs, attempt)
	half := top / 2
	// Uniform in [half, top]: the high word of r*(span) is in [0, span).
	span := uint64(top-half) + 1
	hi, _ := bits.Mul64(b.draw(attempt), span)
	return half + int64(hi), true
}

// Retry is Next for a failure with cause: the delay, or a *GiveUp error
// wrapping cause once the attempts are spent.
func (b Backoff) Retry(attempt int, cause error) (int64, error) {
	d, ok := b.Next(attempt)
	if !ok {
		// max before the subtraction: attempt-1 would wrap for MinInt.
		return 0, &GiveUp{Attempts: min(max(attempt, 1)-1, b.cfg.MaxRetries), Cause: cause}
	}
	return d, nil
}

// ceiling is min(capMs, base*2^(attempt-1)) without overflow.
func ceiling(base, capMs int64, attempt int) int64 {
	if base == 0 {
		return 0
	}
	shift := attempt - 1
	// base<<shift > capMs  <=>  base > capMs>>shift (for shift < 63).
	if shift >= 63 || base > capMs>>uint(shift) {
		return capMs
	}
	return base << uint(shift)
}

func (b Backoff) draw(attempt int) uint64 {
	return splitmix64(b.cfg.Seed ^ splitmix64(b.key+uint64(attempt)))
}

// splitmix64 is the finalizer of Steele, Lea and Flood's SplitMix64.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// GiveUp ends the retries: the task ends FAILED with Cause.
type GiveUp struct {
	Attempts int // retries made before giving up
	Cause    error
}

func (g *GiveUp) Error() string {
	return fmt.Sprintf("gave up after %d retries: %v", g.Attempts, g.Cause)
}

// Unwrap returns the cause.
func (g *GiveUp) Unwrap() error { return g.Cause }
