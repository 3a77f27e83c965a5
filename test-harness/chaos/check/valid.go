package check

import (
	"orchcore.dev/test-harness/chaos/history"
)

// Validity checks the run against its own thresholds (OC-CHAOS-8008):
// enough tasks per class, overload in every class (refusals, or a backlog
// for at least the stated fraction of first dispatches), enough dispatches
// during every fault window, enough goodput, and a drain that finished.
func Validity(h *history.History) Verdict {
	v := newVerdict("validity", "OC-CHAOS-8008")
	th := h.Header.Thresholds
	type cstat struct {
		admitted, refused, completed int
		backlogged                   int
	}
	cs := map[string]*cstat{}
	for _, c := range h.Header.Classes {
		cs[c.Name] = &cstat{}
	}
	windows := map[string][2]int64{}
	var worder []string
	queued := map[string]int{}
	inQueue := map[string]bool{}
	first := 0
	var dispMs []int64
	for i := range h.Records {
		r := &h.Records[i]
		switch r.Type {
		case history.KindFault:
			w := windows[r.Fault]
			switch r.Event {
			case history.FaultStart:
				if _, seen := windows[r.Fault]; !seen {
					worder = append(worder, r.Fault)
				}
				w[0], w[1] = r.Ms, -1
			case history.FaultEnd:
				w[1] = r.Ms
			}
			windows[r.Fault] = w
		case history.KindCore:
			c := cs[r.Class]
			if c == nil {
				continue
			}
			switch r.Event {
			case "admitted":
				c.admitted++
				queued[r.Class]++
				inQueue[r.Task] = true
			case "rejected":
				if r.Reason == "QUEUE_FULL" || r.Reason == "QUOTA_EXCEEDED" {
					c.refused++
				}
				if inQueue[r.Task] {
					delete(inQueue, r.Task)
					queued[r.Class]--
				}
			case "dropped":
				c.refused++
				fallthrough
			case "canceled":
				if inQueue[r.Task] {
					delete(inQueue, r.Task)
					queued[r.Class]--
				}
			case "completed":
				c.completed++
			case "dispatched":
				dispMs = append(dispMs, r.Ms)
				if r.Attempt == 1 && inQueue[r.Task] {
					first++
					for name, n := range queued {
						if n > 0 {
							cs[name].backlogged++
						}
					}
					delete(inQueue, r.Task)
					queued[r.Class]--
				}
			}
		}
	}
	per := map[string]any{}
	completed := 0
	overloaded := true
	for _, name := range sortedKeys(cs) {
		c := cs[name]
		completed += c.completed
		frac := 0.0
		if first > 0 {
			frac = float64(c.backlogged) / float64(first)
		}
		over := c.refused > 0 || frac >= th.MinBacklogFraction
		overloaded = overloaded && over
		per[name] = map[string]any{"admitted": c.admitted, "refused": c.refused, "completed": c.completed,
			"backlogged_fraction": frac, "overloaded": over}
		if c.admitted < th.MinTasksPerClass {
			v.failf("class %s had %d admitted tasks, below the threshold of %d", name, c.admitted, th.MinTasksPerClass)
		}
		if !over {
			v.failf("class %s never reached overload: no refusals and backlogged for %.0f%% of first dispatches (threshold %.0f%%)", name, 100*frac, 100*th.MinBacklogFraction)
		}
	}
	v.Figures["classes"] = per
	v.Figures["overload_reached"] = overloaded
	fw := map[string]int{}
	end := int64(0)
	if h.End != nil {
		end = h.End.Ms
	}
	for _, id := range worder {
		w := windows[id]
		hi := w[1]
		if hi < 0 {
			hi = end
		}
		n := 0
		for _, ms := range dispMs {
			if ms >= w[0] && ms <= hi {
				n++
			}
		}
		fw[id] = n
		if n < th.MinFaultDispatches {
			v.failf("fault %s window [%d ms, %d ms] saw %d dispatches, below the threshold of %d: the load did not meet the fault", id, w[0], hi, n, th.MinFaultDispatches)
		}
	}
	v.Figures["dispatches_per_fault_window"] = fw
	if h.Header.DurationMs > 0 {
		rate := float64(completed) / (float64(h.Header.DurationMs) / 1000)
		v.Figures["completed_per_sec"] = rate
		if rate < th.MinCompletedPerSec {
			v.failf("goodput %.2f completed/s, below the threshold of %.2f", rate, th.MinCompletedPerSec)
		}
	}
	if h.End != nil && !h.End.Drained {
		v.failf("the drain timed out after %d ms: some admitted tasks were not terminal", h.Header.DrainMs)
	}
	if h.Truncated != "" {
		v.failf("history truncated: %s", h.Truncated)
	}
	return *v
}
