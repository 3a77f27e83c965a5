package check

import (
	"hash/fnv"
	"math/bits"

	"orchcore.dev/test-harness/chaos/history"
)

// Backoff recomputes every retry delay from the run's retry policy as
// OC-CORE-1025 states it: the delay before retry n is drawn uniformly from
// [c/2, c], c = min(cap, base·2^(n−1)) without overflow, keyed by (jitter
// seed, task id, n). It also checks that no delay exceeds the cap and no
// task is dispatched more than max_attempts times (OC-CHAOS-8003).
func Backoff(h *history.History) Verdict {
	v := newVerdict("backoff", "OC-CHAOS-8003")
	p := h.Header.Retry
	var retries int
	var maxDelay int64
	for i := range h.Records {
		r := &h.Records[i]
		if r.Type != history.KindCore {
			continue
		}
		switch r.Event {
		case "retried":
			retries++
			maxDelay = max(maxDelay, r.DelayMs)
			if r.DelayMs > p.CapMs {
				v.failf("task %s: retry %d waited %d ms, over the cap of %d ms (record %d)", r.Task, r.Attempt, r.DelayMs, p.CapMs, r.Seq)
				continue
			}
			if r.Attempt >= p.MaxAttempts {
				v.failf("task %s: retried after attempt %d, but max_attempts is %d (record %d)", r.Task, r.Attempt, p.MaxAttempts, r.Seq)
				continue
			}
			if want := RetryDelay(p, r.Task, r.Attempt); r.DelayMs != want {
				v.failf("task %s: retry %d waited %d ms, the policy gives %d ms (record %d)", r.Task, r.Attempt, r.DelayMs, want, r.Seq)
			}
		case "dispatched":
			if r.Attempt > p.MaxAttempts {
				v.failf("task %s: dispatched as attempt %d, over max_attempts %d (record %d)", r.Task, r.Attempt, p.MaxAttempts, r.Seq)
			}
		}
	}
	v.Figures["retries"] = retries
	v.Figures["max_delay_ms"] = maxDelay
	v.Figures["cap_ms"] = p.CapMs
	v.Figures["max_attempts"] = p.MaxAttempts
	return *v
}

// RetryDelay is the reference delay before retry n of task under p.
func RetryDelay(p history.Retry, task string, n int) int64 {
	c := p.CapMs
	if p.BaseMs == 0 {
		c = 0
	} else if n-1 < 63 {
		if hi, lo := bits.Mul64(uint64(p.BaseMs), 1<<uint(n-1)); hi == 0 && lo <= uint64(p.CapMs) {
			c = int64(lo)
		}
	}
	half := c / 2
	f := fnv.New64a()
	f.Write([]byte(task))
	x := mix(p.Seed ^ mix(f.Sum64()+uint64(n)))
	off, _ := bits.Mul64(x, uint64(c-half)+1)
	return half + int64(off)
}

// mix is the splitmix64 finalizer.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}
