package check_test

import (
	"fmt"
	"strings"
	"testing"

	"orchcore.dev/test-harness/chaos/check"
	"orchcore.dev/test-harness/chaos/history"
)

// good is a small history every checker passes: a verified, healed kill
// of r1, the replica observed down and ready again, a retry with the
// policy's delay, a queued and an aborted cancel.
func good() *builder {
	b := newBuilder(header())
	b.add(fault(history.FaultStart, "f1", "kill", "r1", nil))
	b.add(fault(history.FaultVerify, "f1", "kill", "r1", history.Bool(true)))
	b.add(obs(history.ObsDown, "r1"))
	b.life("t1", "interactive").life("t2", "batch").life("t3", "background")
	b.add(fault(history.FaultEnd, "f1", "kill", "r1", nil))
	b.add(obs(history.ObsReady, "r1"))
	b.core("admitted", "t4", "batch").next().core("dispatched", "t4", "batch", at(1, "r1"))
	b.core("retried", "t4", "batch", delay(1, check.RetryDelay(header().Retry, "t4", 1)))
	b.next().core("dispatched", "t4", "batch", at(2, "r0")).core("completed", "t4", "batch")
	b.core("admitted", "t5", "interactive").core("canceled", "t5", "interactive")
	b.add(history.Record{Type: history.KindClient, Event: "cancel", Task: "t5", Result: "canceled-queued"})
	b.core("admitted", "t6", "interactive").next().core("dispatched", "t6", "interactive").core("canceled", "t6", "interactive")
	b.add(history.Record{Type: history.KindClient, Event: "abort", Task: "t6"})
	b.add(history.Record{Type: history.KindClient, Event: "cancel", Task: "t6", Result: "aborted-job"})
	return b.finish()
}

func verdict(t *testing.T, vs []check.Verdict, name string) check.Verdict {
	t.Helper()
	for _, v := range vs {
		if v.Name == name {
			return v
		}
	}
	t.Fatalf("no verdict %s", name)
	return check.Verdict{}
}

// mustFlag runs every checker on the crafted history and wants exactly
// the named ones to fail, each with a finding containing every want.
func mustFlag(t *testing.T, h *history.History, failing map[string][]string) {
	t.Helper()
	vs := check.All(h)
	for _, v := range vs {
		wants, should := failing[v.Name]
		if !should {
			if v.Status != check.Pass {
				t.Errorf("%s: unexpected %s: %v", v.Name, v.Status, v.Findings)
			}
			continue
		}
		if v.Status != check.Fail {
			t.Errorf("%s passed; want it to flag %v", v.Name, wants)
			continue
		}
		all := strings.Join(v.Findings, "\n")
		for _, w := range wants {
			if !strings.Contains(all, w) {
				t.Errorf("%s findings lack %q:\n%s", v.Name, w, all)
			}
		}
	}
}

func TestGoodHistoryPasses(t *testing.T) {
	t.Attr("req", "OC-CHAOS-8009")
	h := crafted(t, "good", good())
	mustFlag(t, h, nil)
	// Re-checking gives the same verdicts (OC-CHAOS-8009).
	a, b := fmt.Sprint(check.All(h)), fmt.Sprint(check.All(h))
	if a != b {
		t.Fatalf("two checks of one history differ:\n%s\n%s", a, b)
	}
}

func TestLostTaskFlagged(t *testing.T) {
	t.Attr("req", "OC-CHAOS-8001")
	b := newBuilder(header()).life("t1", "batch")
	b.core("admitted", "t2", "batch").next().core("dispatched", "t2", "batch")
	h := crafted(t, "lost", b.finish())
	mustFlag(t, h, map[string][]string{"lost": {"task t2 lost", "running"}})
	if got := verdict(t, check.All(h), "lost").Figures["lost"]; got != 1 {
		t.Fatalf("lost count %v, want 1", got)
	}
}

func TestDuplicateTerminalFlagged(t *testing.T) {
	t.Attr("req", "OC-CHAOS-8001")
	t.Attr("req", "OC-CORE-1008")
	b := newBuilder(header()).life("t1", "batch").core("failed", "t1", "batch")
	b.core("completed", "ghost", "batch")
	h := crafted(t, "duplicate", b.finish())
	mustFlag(t, h, map[string][]string{"lost": {"task t1: second terminal state failed", "task ghost: completed while never admitted"}})
}

func TestTruncatedHistoryNeverPasses(t *testing.T) {
	t.Attr("req", "OC-CHAOS-8001")
	b := newBuilder(header()).life("t1", "batch") // no end record
	h := crafted(t, "truncated", b)
	mustFlag(t, h, map[string][]string{"lost": {"history truncated"}, "validity": {"history truncated"}})
}

func TestCancelHistoryMismatchFlagged(t *testing.T) {
	t.Attr("req", "OC-CHAOS-8010")
	t.Attr("req", "OC-CORE-1008")
	b := newBuilder(header())
	b.core("admitted", "t1", "batch").next().core("dispatched", "t1", "batch").core("canceled", "t1", "batch")
	b.add(history.Record{Type: history.KindClient, Event: "cancel", Task: "t1", Result: "canceled-queued"})
	b.core("admitted", "t2", "batch").next().core("dispatched", "t2", "batch").core("canceled", "t2", "batch")
	b.add(history.Record{Type: history.KindClient, Event: "cancel", Task: "t2", Result: "aborted-job"})
	b.core("admitted", "t3", "batch").core("canceled", "t3", "batch").next().core("dispatched", "t3", "batch")
	h := crafted(t, "cancel_mismatch", b.finish())
	mustFlag(t, h, map[string][]string{"lost": {
		"task t1: cancel (record 6) said canceled-queued but the task ended canceled from running",
		"task t2: cancel (record 11) aborted its job but the dispatcher never stopped the stream",
		"task t3: dispatched (record 15) after its terminal state canceled (record 13)",
	}})
}

func TestDispatchToDeadReplicaFlagged(t *testing.T) {
	t.Attr("req", "OC-CHAOS-8004")
	b := newBuilder(header())
	b.add(fault(history.FaultStart, "f1", "pause", "r1", nil)).add(fault(history.FaultVerify, "f1", "pause", "r1", history.Bool(true)))
	b.add(obs(history.ObsDown, "r1"))
	b.core("admitted", "t1", "batch").next().core("dispatched", "t1", "batch", at(1, "r1")).core("completed", "t1", "batch")
	b.add(obs(history.ObsNotReady, "r0"))
	b.core("admitted", "t2", "batch").next().core("dispatched", "t2", "batch", at(1, "r0")).core("completed", "t2", "batch")
	b.add(obs(history.ObsReady, "r0"))
	b.core("admitted", "t3", "batch").next().core("dispatched", "t3", "batch", at(1, "r0")).core("completed", "t3", "batch")
	b.add(fault(history.FaultEnd, "f1", "pause", "r1", nil))
	h := crafted(t, "dead_dispatch", b.finish())
	mustFlag(t, h, map[string][]string{"replicas": {
		"task t1 (job t1#1) dispatched to replica r1 (record 7) after it was observed down (record 4)",
		"task t2 (job t2#1) dispatched to replica r0",
	}})
	v := verdict(t, check.All(h), "replicas")
	if len(v.Findings) != 2 {
		t.Fatalf("findings %v, want t1 and t2 only (t3 went to r0 after it was ready)", v.Findings)
	}
	if lag := v.Figures["detection_lag_ms"].(map[string]int64); lag["max"] != 2 {
		t.Fatalf("detection lag %v, want 2 ms (fault at 1 ms, observed at 3 ms)", lag)
	}
}

func TestBackoffOverCapFlagged(t *testing.T) {
	t.Attr("req", "OC-CHAOS-8003")
	b := newBuilder(header())
	b.core("admitted", "t1", "batch").next().core("dispatched", "t1", "batch")
	b.core("retried", "t1", "batch", delay(1, 401))
	b.next().core("dispatched", "t1", "batch", at(2, "r0")).core("completed", "t1", "batch")
	// t2: within the cap but not what the seeded policy gives.
	b.core("admitted", "t2", "batch").next().core("dispatched", "t2", "batch")
	b.core("retried", "t2", "batch", delay(1, check.RetryDelay(header().Retry, "t2", 1)+1))
	b.next().core("dispatched", "t2", "batch", at(2, "r0")).core("completed", "t2", "batch")
	// t3: a fourth attempt with max_attempts 3.
	b.core("admitted", "t3", "batch").next().core("dispatched", "t3", "batch")
	for n := 1; n <= 3; n++ {
		b.core("retried", "t3", "batch", delay(n, check.RetryDelay(header().Retry, "t3", n)))
		b.next().core("dispatched", "t3", "batch", at(n+1, "r0"))
	}
	b.core("completed", "t3", "batch")
	h := crafted(t, "backoff_cap", b.finish())
	mustFlag(t, h, map[string][]string{"backoff": {
		"task t1: retry 1 waited 401 ms, over the cap of 400 ms",
		"task t2: retry 1 waited",
		"task t3: retried after attempt 3, but max_attempts is 3",
		"task t3: dispatched as attempt 4, over max_attempts 3",
	}})
}

func TestRetryDelayReference(t *testing.T) {
	t.Attr("req", "OC-CHAOS-8003")
	p := history.Retry{BaseMs: 100, CapMs: 400, MaxAttempts: 10, Seed: 9}
	for n := 1; n <= 8; n++ {
		c := min(int64(100)<<(n-1), 400)
		d := check.RetryDelay(p, "task", n)
		if d < c/2 || d > c {
			t.Fatalf("retry %d: delay %d outside [%d, %d]", n, d, c/2, c)
		}
	}
	if d := check.RetryDelay(history.Retry{BaseMs: 1 << 40, CapMs: 1 << 62}, "x", 60); d > 1<<62 {
		t.Fatalf("overflowing ceiling gives %d, over the cap", d)
	}
}

// starvation: background stays backlogged while only interactive is served.
func TestStarvedClassFlagged(t *testing.T) {
	t.Attr("req", "OC-CHAOS-8002")
	t.Attr("req", "OC-CORE-1006")
	b := newBuilder(header())
	b.core("admitted", "bg", "background")
	for i := range 25 {
		id := fmt.Sprintf("i%d", i)
		b.core("admitted", id, "interactive").next().core("dispatched", id, "interactive").core("completed", id, "interactive")
	}
	b.next().core("dispatched", "bg", "background").core("completed", "bg", "background")
	h := crafted(t, "starved", b.finish())
	// W = 10, P(background) = 10: 19 other dispatches in a row break it.
	mustFlag(t, h, map[string][]string{"fairness": {"class background starved: 19 dispatches of other classes in a row", "up to task i18"}})
}

// share: weights 1:1, both always backlogged. ABAB passes; AAB breaks the
// lower share bound (D/2 − 2) once enough dispatches have passed, though
// no wait exceeds 2·P−1 = 3.
func TestShareBoundTwoSided(t *testing.T) {
	t.Attr("req", "OC-CHAOS-8002")
	t.Attr("req", "OC-CORE-1007")
	hdr := header()
	hdr.Classes = []history.Class{{Name: "a", Rank: 2, Weight: 1}, {Name: "b", Rank: 1, Weight: 1}}
	ok := crafted(t, "share_fair", share(hdr, "ab", 30))
	mustFlag(t, ok, nil)
	bad := crafted(t, "share_skewed", share(hdr, "aab", 30))
	mustFlag(t, bad, map[string][]string{"fairness": {"class b out of its share"}})
	if v := verdict(t, check.All(bad), "fairness"); strings.Contains(strings.Join(v.Findings, " "), "starved") {
		t.Fatalf("aab is within the wait bound, yet flagged: %v", v.Findings)
	}
}

// share builds dispatches following pattern over two always-backlogged
// classes a and b, n dispatches in all, with pool stats that agree.
func share(hdr *history.Header, pattern string, n int) *builder {
	b := newBuilder(hdr)
	queue := map[string][]string{}
	seq := 0
	admit := func(c string) {
		seq++
		id := fmt.Sprintf("%s%d", c, seq)
		queue[c] = append(queue[c], id)
		b.core("admitted", id, c)
	}
	admit("a")
	admit("b")
	count := map[string]uint64{}
	for i := range n {
		c := string(pattern[i%len(pattern)])
		admit(c) // the class stays backlogged after its head leaves
		id := queue[c][0]
		queue[c] = queue[c][1:]
		b.next().core("dispatched", id, c).core("completed", id, c)
		count[c]++
	}
	for _, c := range []string{"a", "b"} {
		for _, id := range queue[c] {
			b.core("canceled", id, c)
		}
	}
	e := history.Record{Type: history.KindEnd, Drained: true}
	for _, c := range []string{"a", "b"} {
		e.Stats = append(e.Stats, history.ClassCount{Class: c, Dispatched: count[c], Share: float64(count[c]) / float64(n)})
	}
	b.add(e)
	return b
}

func TestShareAccountingMismatchFlagged(t *testing.T) {
	t.Attr("req", "OC-CORE-1007")
	b := newBuilder(header()).life("t1", "batch").life("t2", "interactive")
	b.add(history.Record{Type: history.KindEnd, Drained: true, Stats: []history.ClassCount{
		{Class: "batch", Dispatched: 2, Share: 1}, {Class: "interactive", Dispatched: 1, Share: 0.5},
	}})
	h := crafted(t, "share_accounting", b)
	mustFlag(t, h, map[string][]string{"fairness": {"class batch: the pool's share accounting counts 2 first dispatches, the history 1"}})
}

func TestUnverifiedFaultFlagged(t *testing.T) {
	t.Attr("req", "OC-CHAOS-8007")
	t.Attr("req", "OC-CHAOS-8005")
	hdr := header()
	hdr.Plan = map[string]any{"faults": []any{
		map[string]any{"id": "f1", "kind": "pause", "target": "r0", "start_ms": 1, "duration_ms": 5},
		map[string]any{"id": "f2", "kind": "cut", "target": "r1", "start_ms": 2, "duration_ms": 5},
		map[string]any{"id": "f3", "kind": "flap", "target": "r1", "start_ms": 3, "duration_ms": 5},
		map[string]any{"id": "f4", "kind": "slow", "target": "r0", "start_ms": 4, "duration_ms": 5},
	}}
	b := newBuilder(hdr)
	b.add(fault(history.FaultStart, "f1", "pause", "r0", nil))
	b.add(fault(history.FaultEnd, "f1", "pause", "r0", nil))
	b.add(fault(history.FaultStart, "f2", "cut", "r1", nil))
	r := fault(history.FaultVerify, "f2", "cut", "r1", history.Bool(false))
	r.Detail = "a connection through the proxy succeeded"
	b.add(r).add(fault(history.FaultEnd, "f2", "cut", "r1", nil))
	b.add(fault(history.FaultStart, "f4", "slow", "r0", nil)).add(fault(history.FaultVerify, "f4", "slow", "r0", history.Bool(true)))
	h := crafted(t, "unverified", b.finish())
	mustFlag(t, h, map[string][]string{"faults": {
		"fault f1 (pause r0) was injected but never verified",
		"fault f2 (cut r1) did not take effect: a connection through the proxy succeeded",
		"fault f3 (flap r1) was planned but never injected",
		"fault f4 (slow r0) was never healed",
	}})
}

func TestBelowValidityThresholdsFlagged(t *testing.T) {
	t.Attr("req", "OC-CHAOS-8008")
	hdr := header()
	hdr.Thresholds = history.Thresholds{MinTasksPerClass: 2, MinBacklogFraction: 0.5, MinFaultDispatches: 1, MinCompletedPerSec: 6}
	b := newBuilder(hdr)
	b.core("admitted", "x", "interactive").core("admitted", "y", "interactive").core("rejected", "z", "interactive", func(r *history.Record) { r.Reason = "QUEUE_FULL" })
	b.core("admitted", "u", "batch").core("admitted", "v", "batch")
	b.add(fault(history.FaultStart, "f1", "slow", "r0", nil)).add(fault(history.FaultVerify, "f1", "slow", "r0", history.Bool(true)))
	b.add(fault(history.FaultEnd, "f1", "slow", "r0", nil))
	for _, id := range []string{"x", "y", "u", "v"} {
		c := map[bool]string{true: "interactive", false: "batch"}[id == "x" || id == "y"]
		b.next().core("dispatched", id, c).core("completed", id, c)
	}
	b.core("admitted", "w", "background").next().core("dispatched", "w", "background").core("completed", "w", "background")
	b.add(history.Record{Type: history.KindEnd, Drained: false})
	h := crafted(t, "invalid_run", b)
	mustFlag(t, h, map[string][]string{"validity": {
		"class background had 1 admitted tasks, below the threshold of 2",
		"class background never reached overload",
		"fault f1 window [6 ms, 8 ms] saw 0 dispatches",
		"goodput 5.00 completed/s",
		"the drain timed out",
	}})
}

// EXPIRED (OC-CORE-1050) is a terminal state of a queued task and of one
// waiting for a retry, never of a running job; a task that expires and
// then ends again is a duplicate terminal.
func TestExpiredIsTerminal(t *testing.T) {
	t.Attr("req", "OC-CHAOS-8001")
	b := newBuilder(header()).life("t1", "batch")
	b.core("admitted", "t2", "batch").core("expired", "t2", "batch")
	b.core("admitted", "t3", "batch").next().core("dispatched", "t3", "batch", at(1, "r0"))
	b.core("retried", "t3", "batch", delay(1, check.RetryDelay(header().Retry, "t3", 1))).core("expired", "t3", "batch")
	mustFlag(t, crafted(t, "expired", b.finish()), nil)

	bad := newBuilder(header()).life("t1", "batch")
	bad.core("admitted", "t2", "batch").next().core("dispatched", "t2", "batch", at(1, "r0")).core("expired", "t2", "batch")
	bad.core("admitted", "t3", "batch").core("expired", "t3", "batch").core("canceled", "t3", "batch")
	mustFlag(t, crafted(t, "expired_bad", bad.finish()), map[string][]string{"lost": {"task t2", "task t3: second terminal state canceled"}})
}

// TestPreemptedHistories: a preempted job's task is queued again (its next
// dispatch is the following attempt) or fails with PREEMPTED, and the
// dispatcher must stop the preempted stream. A preemption of a task that
// is not running, a redispatch under the same attempt, or a preempted
// stream never stopped are flagged (OC-CORE-1057 in a chaos history).
func TestPreemptedHistories(t *testing.T) {
	t.Attr("req", "OC-CHAOS-8001")
	t.Attr("req", "OC-CHAOS-8002")
	t.Attr("req", "OC-CORE-1057")
	stop := func(task string) history.Record {
		return history.Record{Type: history.KindClient, Event: "abort", Task: task, Reason: "preempted"}
	}
	reason := func(s string) func(*history.Record) { return func(r *history.Record) { r.Reason = s } }
	b := newBuilder(header()).life("t1", "batch")
	b.core("admitted", "t2", "background").next().core("dispatched", "t2", "background", at(1, "r0"))
	b.core("preempted", "t2", "background", reason("PREEMPTED")).add(stop("t2"))
	b.core("no_capacity", "t2", "background")
	b.next().core("dispatched", "t2", "background", at(2, "r1")).core("completed", "t2", "background")
	b.core("admitted", "t3", "background").next().core("dispatched", "t3", "background", at(1, "r0"))
	b.core("preempted", "t3", "background", reason("PREEMPTED")).core("failed", "t3", "background", reason("PREEMPTED")).add(stop("t3"))
	h := crafted(t, "preempted", b.finish())
	mustFlag(t, h, nil)
	if n := verdict(t, check.All(h), "lost").Figures["terminal"].(map[string]int)["preempted"]; n != 2 {
		t.Fatalf("preempted count %d, want 2", n)
	}
	// t2's second dispatch is a class head's (the picker's) but not a
	// first dispatch: the shares the pool reports count three.
	if n := verdict(t, check.All(h), "fairness").Figures["first_dispatches"]; n != 3 {
		t.Fatalf("first dispatches %v, want 3 (t1, t2, t3)", n)
	}

	bad := newBuilder(header()).life("t1", "batch")
	bad.core("admitted", "t2", "background").core("preempted", "t2", "background") // never running
	bad.core("admitted", "t3", "background").next().core("dispatched", "t3", "background", at(1, "r0"))
	bad.core("preempted", "t3", "background").add(stop("t3")).core("dispatched", "t3", "background", at(1, "r0"))
	bad.core("admitted", "t4", "background").next().core("dispatched", "t4", "background", at(1, "r0"))
	bad.core("preempted", "t4", "background").core("failed", "t4", "background") // stream never stopped
	mustFlag(t, crafted(t, "preempted_bad", bad.finish()), map[string][]string{"lost": {
		"task t2: preempted while queued", "task t3: dispatched as attempt 1 while preempted",
		"task t4: preempted 1 times but the dispatcher stopped its stream 0 times"}})
}
