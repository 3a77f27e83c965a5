package load

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"sort"

	"orchcore.dev/test-harness/chaos/internal/seed"
)

// Class is one class's part of the load.
type Class struct {
	Name string
	// Share is the class's fraction of the total rate.
	Share float64
}

// Spec describes the load of one run.
type Spec struct {
	Seed uint64
	// DurationMs is the load phase; arrivals fall in [0, DurationMs).
	DurationMs int64
	// Rate is the mean total arrivals per second outside bursts.
	Rate    float64
	Classes []Class
	// Every BurstEveryMs a burst of BurstMs multiplies every rate by
	// BurstFactor (0 disables bursts).
	BurstEveryMs, BurstMs int64
	BurstFactor           float64
	Tenants, Sessions     int
	// Prompt lengths (characters) and n_predict are uniform in their
	// ranges.
	PromptMin, PromptMax     int
	NPredictMin, NPredictMax int
	// CancelRate is the fraction of tasks a client cancels; of those,
	// RaceFraction are canceled right after admission (racing the
	// dispatch), the others after a delay uniform in (0, CancelMaxMs].
	CancelRate, RaceFraction float64
	CancelMaxMs              int64
}

// Arrival is one planned task.
type Arrival struct {
	AtMs     int64  `json:"at_ms"`
	ID       string `json:"id"`
	Class    string `json:"class"`
	Tenant   string `json:"tenant"`
	Session  string `json:"session"`
	Prompt   int    `json:"prompt"`
	NPredict int    `json:"n_predict"`
	// CancelAfterMs is when the client cancels, after admission; -1 never,
	// 0 at once (a race with the dispatch).
	CancelAfterMs int64 `json:"cancel_after_ms"`
}

// Validate reports a Spec that cannot be planned.
func (s Spec) Validate() error {
	switch {
	case s.DurationMs <= 0:
		return fmt.Errorf("duration must be above 0, got %d ms", s.DurationMs)
	case !(s.Rate > 0) || math.IsInf(s.Rate, 0):
		return fmt.Errorf("rate must be above 0, got %v", s.Rate)
	case len(s.Classes) == 0:
		return fmt.Errorf("no classes")
	case s.Tenants < 1 || s.Sessions < 1:
		return fmt.Errorf("tenants and sessions must be at least 1")
	case s.PromptMin < 1 || s.PromptMax < s.PromptMin:
		return fmt.Errorf("prompt range [%d, %d] is empty", s.PromptMin, s.PromptMax)
	case s.NPredictMin < 1 || s.NPredictMax < s.NPredictMin:
		return fmt.Errorf("n_predict range [%d, %d] is empty", s.NPredictMin, s.NPredictMax)
	case s.CancelRate < 0 || s.CancelRate > 1 || s.RaceFraction < 0 || s.RaceFraction > 1:
		return fmt.Errorf("cancel rate and race fraction must be in [0, 1]")
	case s.BurstFactor < 0:
		return fmt.Errorf("burst factor must not be negative")
	}
	for _, c := range s.Classes {
		if !(c.Share > 0) {
			return fmt.Errorf("class %s: share must be above 0, got %v", c.Name, c.Share)
		}
	}
	return nil
}

// inBurst reports whether t falls in a burst window.
func (s Spec) inBurst(t float64) bool {
	if s.BurstEveryMs <= 0 || s.BurstMs <= 0 || s.BurstFactor <= 0 {
		return false
	}
	return math.Mod(t, float64(s.BurstEveryMs)) >= float64(s.BurstEveryMs-s.BurstMs)
}

// Plan returns the arrivals of s.
func Plan(s Spec) ([]Arrival, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	var total float64
	for _, c := range s.Classes {
		total += c.Share
	}
	peak := 1.0
	if s.BurstFactor > 1 {
		peak = s.BurstFactor
	}
	var out []Arrival
	cancels := seed.Stream(s.Seed, "cancels")
	for _, c := range s.Classes {
		arr := seed.Stream(s.Seed, "arrivals/"+c.Name)
		attr := seed.Stream(s.Seed, "attributes/"+c.Name)
		rate := s.Rate * c.Share / total / 1000 // per ms
		// Thinning: candidates at the peak rate, kept with rate(t)/peak.
		t, n := 0.0, 0
		for {
			t += arr.ExpFloat64() / (rate * peak)
			if t >= float64(s.DurationMs) {
				break
			}
			f := 1.0
			if s.inBurst(t) {
				f = s.BurstFactor
			}
			if arr.Float64()*peak >= f {
				continue
			}
			n++
			a := Arrival{
				AtMs: int64(t), ID: fmt.Sprintf("%s-%05d", c.Name, n), Class: c.Name,
				Tenant:        fmt.Sprintf("tenant-%d", attr.IntN(s.Tenants)),
				Session:       fmt.Sprintf("session-%d", attr.IntN(s.Sessions)),
				Prompt:        s.PromptMin + attr.IntN(s.PromptMax-s.PromptMin+1),
				NPredict:      s.NPredictMin + attr.IntN(s.NPredictMax-s.NPredictMin+1),
				CancelAfterMs: -1,
			}
			out = append(out, a)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].AtMs != out[j].AtMs {
			return out[i].AtMs < out[j].AtMs
		}
		return out[i].ID < out[j].ID
	})
	// Cancels are drawn in arrival order from their own stream.
	for i := range out {
		if cancels.Float64() < s.CancelRate {
			if cancels.Float64() < s.RaceFraction || s.CancelMaxMs <= 0 {
				out[i].CancelAfterMs = 0
			} else {
				out[i].CancelAfterMs = 1 + cancels.Int64N(s.CancelMaxMs)
			}
		}
	}
	return out, nil
}

// Digest is the sha256 of the arrivals' canonical text.
func Digest(as []Arrival) string {
	h := sha256.New()
	for _, a := range as {
		fmt.Fprintf(h, "%d %s %s %s %s %d %d %d\n", a.AtMs, a.ID, a.Class, a.Tenant, a.Session, a.Prompt, a.NPredict, a.CancelAfterMs)
	}
	return hex.EncodeToString(h.Sum(nil))
}
