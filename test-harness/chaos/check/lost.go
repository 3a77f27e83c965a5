package check

import (
	"sort"

	"orchcore.dev/test-harness/chaos/history"
)

// Task states of the reference model of OC-CORE-1008.
const (
	stNone = iota
	stQueued
	stRunning
	stWaiting // failed, waiting out its retry delay
	stDone
	// stPreempted: its job was preempted (OC-CORE-1057); it is queued
	// again at the head of its class, or its Failed event follows.
	stPreempted
)

var stName = [...]string{"never admitted", "queued", "running", "waiting for a retry", "ended", "preempted"}

type taskModel struct {
	st       int
	attempt  int
	terminal string
	// from is the state a canceled task was canceled in.
	from    int
	aborted bool
	seq     int64 // record of the terminal
	// preempts and stopped count the task's preemptions and the
	// dispatcher's aborts of a preempted stream.
	preempts, stopped int
}

// Lost checks that every admitted task reaches exactly one terminal state
// through one of the OC-CORE-1008 histories, and that every client
// cancel's result agrees with what the history shows (OC-CHAOS-8001,
// 8010; OC-CORE-1008).
func Lost(h *history.History) Verdict {
	v := newVerdict("lost", "OC-CHAOS-8001", "OC-CHAOS-8010", "OC-CORE-1008")
	tasks := map[string]*taskModel{}
	get := func(id string) *taskModel {
		t := tasks[id]
		if t == nil {
			t = &taskModel{}
			tasks[id] = t
		}
		return t
	}
	var admitted, duplicated, unexpected int
	counts := map[string]int{}
	type cancel struct {
		task, result string
		seq          int64
	}
	var cancels []cancel
	for i := range h.Records {
		r := &h.Records[i]
		if r.Type == history.KindClient {
			switch r.Event {
			case "cancel":
				cancels = append(cancels, cancel{r.Task, r.Result, r.Seq})
			case "abort":
				if r.Reason == "preempted" {
					get(r.Task).stopped++
				} else {
					get(r.Task).aborted = true
				}
			}
			continue
		}
		if r.Type != history.KindCore {
			continue
		}
		t := get(r.Task)
		bad := func(what string) {
			unexpected++
			v.failf("task %s: %s while %s (record %d)", r.Task, what, stName[t.st], r.Seq)
		}
		switch ev := r.Event; {
		case t.st == stDone && terminal[ev]:
			duplicated++
			v.failf("task %s: second terminal state %s (record %d) after %s (record %d)", r.Task, ev, r.Seq, t.terminal, t.seq)
		case t.st == stDone:
			unexpected++
			v.failf("task %s: %s (record %d) after its terminal state %s (record %d)", r.Task, ev, r.Seq, t.terminal, t.seq)
		case ev == "admitted":
			if t.st != stNone {
				bad("admitted again")
				break
			}
			admitted++
			t.st = stQueued
		case ev == "rejected" && t.st == stNone:
			t.st, t.terminal, t.seq = stDone, ev, r.Seq
			counts["rejected_at_admission"]++
		case ev == "dispatched":
			switch {
			case t.st == stQueued && r.Attempt == 1, (t.st == stWaiting || t.st == stPreempted) && r.Attempt == t.attempt+1:
				t.st, t.attempt = stRunning, r.Attempt
			default:
				bad("dispatched as attempt " + itoa(r.Attempt))
			}
		case ev == "retried":
			if t.st != stRunning {
				bad("retried")
				break
			}
			t.st = stWaiting
		case ev == "token":
			if t.st != stRunning {
				bad("token")
			}
		case ev == "no_capacity":
			if t.st != stQueued && t.st != stWaiting && t.st != stPreempted {
				bad("no_capacity")
			}
		case ev == "preempted":
			if t.st != stRunning {
				bad("preempted")
				break
			}
			t.st = stPreempted
			t.preempts++
			counts["preempted"]++
		case terminal[ev]:
			ok := map[int]map[string]bool{
				stQueued:  {"canceled": true, "dropped": true, "rejected": true, "expired": true},
				stRunning: {"completed": true, "failed": true, "timed_out": true, "canceled": true},
				stWaiting: {"canceled": true, "failed": true, "expired": true},
				// queued again at its class's head, or failed: attempts spent
				stPreempted: {"canceled": true, "dropped": true, "expired": true, "failed": true},
			}[t.st][ev]
			if !ok {
				bad(ev)
				break
			}
			t.from = t.st
			t.st, t.terminal, t.seq = stDone, ev, r.Seq
			counts[ev]++
		}
	}
	var open, unstopped []string
	for id, t := range tasks {
		if t.st != stNone && t.st != stDone {
			open = append(open, id)
		}
		if t.preempts > t.stopped {
			unstopped = append(unstopped, id)
		}
	}
	sort.Strings(open)
	sort.Strings(unstopped)
	for _, id := range unstopped {
		v.failf("task %s: preempted %d times but the dispatcher stopped its stream %d times", id, tasks[id].preempts, tasks[id].stopped)
	}
	if h.Truncated != "" {
		v.failf("history truncated (%s): whether any task is lost cannot be decided; %d tasks had no terminal state yet", h.Truncated, len(open))
	} else {
		for _, id := range open {
			v.failf("task %s lost: admitted, last seen %s, no terminal state", id, stName[tasks[id].st])
		}
	}
	results := map[string]int{}
	for _, c := range cancels {
		results[c.result]++
		t := tasks[c.task]
		if t == nil {
			t = &taskModel{}
		}
		switch c.result {
		case "canceled-queued":
			if t.terminal != "canceled" || (t.from != stQueued && t.from != stWaiting) {
				v.failf("task %s: cancel (record %d) said canceled-queued but the task ended %s from %s", c.task, c.seq, orNone(t.terminal), stName[t.from])
			}
		case "aborted-job":
			if t.terminal != "canceled" || t.from != stRunning {
				v.failf("task %s: cancel (record %d) said aborted-job but the task ended %s from %s", c.task, c.seq, orNone(t.terminal), stName[t.from])
			} else if !t.aborted {
				v.failf("task %s: cancel (record %d) aborted its job but the dispatcher never stopped the stream", c.task, c.seq)
			}
		case "already-ended":
			if t.st != stDone {
				v.failf("task %s: cancel (record %d) said already-ended but the task %s", c.task, c.seq, stName[t.st])
			}
		case "NOT_FOUND":
			if t.st != stNone && t.terminal != "rejected" {
				v.failf("task %s: cancel (record %d) said NOT_FOUND for an admitted task", c.task, c.seq)
			}
		default:
			v.failf("task %s: cancel (record %d) has unknown result %q", c.task, c.seq, c.result)
		}
	}
	v.Figures["admitted"] = admitted
	v.Figures["terminal"] = counts
	v.Figures["lost"] = len(open)
	v.Figures["duplicated"] = duplicated
	v.Figures["unexpected"] = unexpected
	v.Figures["cancels"] = results
	return *v
}

func orNone(s string) string {
	if s == "" {
		return "in no terminal state"
	}
	return s
}

func itoa(n int) string {
	return fmtInt(int64(n))
}
