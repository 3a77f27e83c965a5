package check

import (
	"sort"
	"strings"

	"orchcore.dev/test-harness/chaos/history"
)

// Fairness checks the first dispatches against OC-CORE-1006 as the core
// spec states it, the reference written here from the spec text:
//
//   - wait: with W the sum of all configured weights and P(k) =
//     ceil(W/w_k), a class never waits more than 2·P(k)−1 dispatches
//     while backlogged (at most 2·P(k)−2 dispatches of other classes in a
//     row);
//   - share: in a run (a stretch of dispatches with one backlog set B of m
//     classes, weights summing to W_B), after D dispatches each class k of
//     B has more than D·w_k/W_B − 2(m−1) and fewer than D·w_k/W_B + 2.
//
// A class is backlogged for a dispatch when it has queued tasks and got no
// no_capacity event since the dispatcher's last next record (in core.Pool
// a class whose head cannot be served counts as not backlogged). Retries
// are not fairness dispatches. Then the pool's own share accounting (the
// end record's stats) must agree with the counts (OC-CORE-1007).
func Fairness(h *history.History) Verdict {
	v := newVerdict("fairness", "OC-CHAOS-8002", "OC-CORE-1006", "OC-CORE-1007")
	cls := h.Header.Classes
	idx := map[string]int{}
	W := 0
	for i, c := range cls {
		idx[c.Name] = i
		W += c.Weight
	}
	if len(cls) == 0 || W <= 0 {
		v.failf("the run header lists no classes with weights")
		return *v
	}
	n := len(cls)
	period := make([]int, n)
	for i, c := range cls {
		period[i] = (W + c.Weight - 1) / c.Weight
	}
	queued := make([]int, n)
	excluded := make([]bool, n)
	wait := make([]int, n)
	maxWait := make([]int, n)
	dispatched := make([]int, n)
	backlogged := make([]int, n)
	inQueue := map[string]bool{}
	var run []bool
	var runD int
	runCount := make([]int, n)
	worst := make([]float64, n) // the largest shortfall seen, in dispatches
	total := 0
	for i := range h.Records {
		r := &h.Records[i]
		if r.Type == history.KindNext {
			clear(excluded)
			continue
		}
		if r.Type != history.KindCore {
			continue
		}
		k, ok := idx[r.Class]
		if !ok && r.Event != "rejected" {
			if r.Class != "" {
				v.failf("record %d: class %q is not configured", r.Seq, r.Class)
			}
			continue
		}
		switch r.Event {
		case "admitted":
			inQueue[r.Task] = true
			queued[k]++
		case "no_capacity":
			// A queued head that could not be served; a due retry that
			// could not be placed says nothing about its class's head.
			if inQueue[r.Task] {
				excluded[k] = true
			}
		case "canceled", "dropped", "rejected", "expired", "failed":
			// (failed: a preempted task whose attempts are spent ends
			// without leaving the queue again.)
			if inQueue[r.Task] {
				delete(inQueue, r.Task)
				queued[k]--
			}
		case "preempted":
			// The task is back at the head of its class's queue
			// (OC-CORE-1057); its next dispatch is the class picker's
			// like any head's.
			if !inQueue[r.Task] {
				inQueue[r.Task] = true
				queued[k]++
			}
		case "dispatched":
			// A class head: a first dispatch, or a preempted task's
			// next one. A due retry is not a queued head.
			if !inQueue[r.Task] {
				continue
			}
			B := make([]bool, n)
			WB, m := 0, 0
			for j := range n {
				B[j] = queued[j] > 0 && !excluded[j]
				if B[j] {
					WB += cls[j].Weight
					m++
					backlogged[j]++
				}
			}
			if r.Attempt == 1 { // the pool's shares count first dispatches
				total++
				dispatched[k]++
			}
			for j := range n {
				switch {
				case !B[j] || j == k:
					wait[j] = 0
				default:
					wait[j]++
					if wait[j] > maxWait[j] {
						maxWait[j] = wait[j]
					}
					if wait[j] == 2*period[j]-1 {
						v.failf("class %s starved: %d dispatches of other classes in a row while backlogged, up to task %s (record %d); bound 2·P−1 = %d with P = ceil(%d/%d)",
							cls[j].Name, wait[j], r.Task, r.Seq, 2*period[j]-1, W, cls[j].Weight)
					}
				}
			}
			if !equal(run, B) {
				run, runD = B, 0
				clear(runCount)
			}
			runD++
			runCount[k]++
			for j := range n {
				if !B[j] {
					continue
				}
				// D·w/W_B − 2(m−1) < c < D·w/W_B + 2, in integers.
				c, want := runCount[j]*WB, runD*cls[j].Weight
				lo, hi := want-2*(m-1)*WB, want+2*WB
				if m == 1 {
					lo, hi = want-1, want+1
				}
				if c <= lo || c >= hi {
					short := float64(want-c) / float64(WB)
					if short < 0 {
						short = -short
					}
					if short > worst[j] || worst[j] == 0 {
						v.failf("class %s out of its share: %d of %d dispatches of a run with backlog {%s}, expected %.2f (bound: more than %.2f, fewer than %.2f), at task %s (record %d)",
							cls[j].Name, runCount[j], runD, names(cls, B), float64(want)/float64(WB),
							float64(lo)/float64(WB), float64(hi)/float64(WB), r.Task, r.Seq)
					}
					worst[j] = max(worst[j], short)
				}
			}
			delete(inQueue, r.Task)
			queued[k]--
		}
	}
	per := map[string]any{}
	for i, c := range cls {
		share := 0.0
		if total > 0 {
			share = float64(dispatched[i]) / float64(total)
		}
		per[c.Name] = map[string]any{
			"weight": c.Weight, "period": period[i], "wait_bound": 2*period[i] - 1,
			"max_wait": maxWait[i] + 1, "dispatched": dispatched[i], "share": share,
			"backlogged_dispatches": backlogged[i],
		}
	}
	v.Figures["classes"] = per
	v.Figures["first_dispatches"] = total
	if h.End != nil && len(h.End.Stats) > 0 {
		for _, s := range h.End.Stats {
			i, ok := idx[s.Class]
			if !ok {
				v.failf("pool stats name class %q that is not configured", s.Class)
				continue
			}
			if int(s.Dispatched) != dispatched[i] {
				v.failf("class %s: the pool's share accounting counts %d first dispatches, the history %d", s.Class, s.Dispatched, dispatched[i])
			}
			if total > 0 {
				if d := s.Share - float64(dispatched[i])/float64(total); d > 1e-9 || d < -1e-9 {
					v.failf("class %s: the pool reports dispatch share %.6f, the history gives %.6f", s.Class, s.Share, float64(dispatched[i])/float64(total))
				}
			}
		}
	}
	return *v
}

func equal(a, b []bool) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func names(cls []history.Class, B []bool) string {
	var s []string
	for i, c := range cls {
		if B[i] {
			s = append(s, c.Name)
		}
	}
	sort.Strings(s)
	return strings.Join(s, ",")
}
