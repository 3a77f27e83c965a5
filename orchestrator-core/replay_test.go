package core_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/backoff"
	"orchcore.dev/orchestrator-core/guardrails"
	"orchcore.dev/orchestrator-core/observe"
	"orchcore.dev/orchestrator-core/queue"
	"orchcore.dev/orchestrator-core/scheduling"
	"orchcore.dev/orchestrator-core/watchdog"
)

// lcg is the script's own number source (Knuth's MMIX constants), so the
// script is the same in every Go release.
type lcg uint64

func (l *lcg) n(k int) int {
	*l = *l*6364136223846793005 + 1442695040888963407
	return int(uint64(*l>>33) % uint64(k))
}

// decisionLog runs a scripted day of one pool — arrivals with pins,
// client seeds, sessions and budgets; snapshots whose replicas turn busy,
// not Ready, drift in version or upgrade; tokens, failures with retries,
// cancels and watchdog timeouts — and returns every decision, one a line.
func decisionLog() []string {
	var log []string
	obs := observe.Func(func(e observe.Event) { log = append(log, eventLine(e)) })
	clk := &core.ManualClock{}
	p, err := core.New(core.Config{
		ID: "p1",
		Classes: []queue.Class{
			{Name: "interactive", Rank: 3, Weight: 6, Capacity: 4},
			{Name: "batch", Rank: 2, Weight: 3, Capacity: 4},
			{Name: "background", Rank: 1, Weight: 1, Capacity: 4},
		},
		Capacity: 9, Admission: queue.DropLRU,
		Quotas:   []queue.Quota{{Tenant: "*", MaxInFlight: 6}},
		Limits:   guardrails.Limits{MaxRequestTokens: 3000},
		Budget:   &guardrails.Budget{Tokens: 30000},
		Watchdog: watchdog.Limits{WallMs: 900, IdleMs: 250},
		Retry:    backoff.Config{BaseMs: 40, CapMs: 200, MaxRetries: 2, Seed: 99},
		Placement: scheduling.Policy{AllowPin: true,
			Saturation: scheduling.Saturation{MaxQueueDepth: 3},
			Prefix:     scheduling.PrefixPolicy{Enabled: true, PrefixWeight: 4, LoadWeight: 1, GuardSlots: 1, GuardPermille: 1500}},
		Preemption: core.Preemption{Enabled: true, MaxPerWindow: 2, WindowMs: 400},
		Observer:   obs, Clock: clk,
	})
	if err != nil {
		panic(err)
	}
	classes := []string{"interactive", "batch", "background"}
	rng := lcg(2026)
	var live []string // dispatched task ids, in dispatch order
	drop := func(id string) {
		for i, x := range live {
			if x == id {
				live = append(live[:i], live[i+1:]...)
				return
			}
		}
	}
	for step := range 120 {
		clk.Advance(int64(5 + rng.n(60)))
		for range rng.n(4) {
			id := fmt.Sprintf("t%03d", len(log))
			tk := core.Task{
				ID: id, Class: classes[rng.n(3)], Tenant: fmt.Sprintf("ten%d", rng.n(3)),
				SessionID:    fmt.Sprintf("s%d", rng.n(10)),
				Model:        scheduling.Request{ModelID: llama},
				PromptTokens: int64(50 + rng.n(900)), MaxNewTokens: int64(50 + rng.n(2400)),
			}
			tk.Blocks = replayBlocks(tk.SessionID, &rng)
			switch rng.n(8) {
			case 0:
				tk.Pin = "p2"
			case 1:
				tk.Pin = "nowhere"
			case 2:
				tk.Seed, tk.HasSeed = uint64(rng.n(1000)), true
			case 3:
				tk.Model.CtxMax = scheduling.Some(2048)
			}
			_, err := p.Admit(tk)
			log = append(log, fmt.Sprintf("admit %s -> %v", id, core.CodeOf(err)))
		}
		snap := replaySnapshot(step, &rng)
		for range 1 + rng.n(3) {
			d, _ := p.Next(snap)
			log = append(log, fmt.Sprintf("next -> %v %s %s idx=%d reason=%v mism=%d",
				d.Outcome, d.TaskID, d.Job.ID, d.Decision.Index, d.Decision.Reason, d.Mismatched))
			if d.Outcome == core.Placed {
				live = append(live, d.TaskID)
			}
			if d.Outcome == core.Preempted { // the dispatcher aborts the victim
				log = append(log, fmt.Sprintf("preempt %s for %s", d.Job.ID, d.Head))
				drop(d.TaskID)
			}
			if d.Outcome == core.Idle || d.Outcome == core.Unplaced {
				break
			}
		}
		for _, id := range append([]string(nil), live...) {
			var err error
			switch rng.n(16) {
			case 0, 1, 2, 3:
				err = p.Token(id, 1+rng.n(20))
			case 4:
				err = p.Complete(id)
				drop(id)
			case 5:
				err = p.Fail(id, "ENGINE_ERROR")
				drop(id)
			case 6:
				_, err = p.Cancel(id)
				drop(id)
			}
			if err != nil {
				log = append(log, fmt.Sprintf("op %s -> %v", id, core.CodeOf(err)))
			}
		}
		for _, x := range p.Tick() {
			drop(x.TaskID)
		}
		if rng.n(7) == 0 { // a cancel from outside, maybe of an ended task
			id := fmt.Sprintf("t%03d", rng.n(len(log)))
			r, err := p.Cancel(id)
			log = append(log, fmt.Sprintf("cancel %s -> %v %v", id, r, core.CodeOf(err)))
		}
	}
	// Epilogue: one task fails on every attempt until it ends FAILED.
	clk.Advance(10_000) // past every watchdog deadline and backoff delay
	p.Tick()
	tk := core.Task{ID: "tlast", Class: "interactive", Tenant: "ten9", Model: scheduling.Request{ModelID: llama}}
	_, err = p.Admit(tk)
	log = append(log, fmt.Sprintf("admit %s -> %v", tk.ID, core.CodeOf(err)))
	for range 8 {
		if st, _ := p.State(tk.ID); st == core.Failed {
			break
		}
		snap := replaySnapshot(0, &rng)
		for i := range snap.Replicas {
			snap.Replicas[i].Ready, snap.Replicas[i].ActiveSlots = true, 0
		}
		d, _ := p.Next(snap)
		log = append(log, fmt.Sprintf("next -> %v %s %s", d.Outcome, d.TaskID, d.Job.ID))
		if d.Outcome == core.Placed && d.TaskID == tk.ID {
			_ = p.Fail(tk.ID, "ENGINE_ERROR")
		}
		clk.Advance(1000)
	}
	st := p.Stats()
	log = append(log, fmt.Sprintf("stats queued=%d inflight=%d retrying=%d", st.Queued, st.InFlight, st.Retrying))
	return log
}

// replayBlocks is a prompt of session s: one of three system prompts
// (two blocks, shared by the sessions that pick it), then the session's
// own history, one to three blocks of its turns so far.
func replayBlocks(s string, rng *lcg) []uint64 {
	var n uint64
	for _, c := range s {
		n = n*31 + uint64(c)
	}
	sys := n % 3
	out := []uint64{100 + sys, 200 + sys}
	for turn := range 1 + rng.n(3) {
		out = append(out, n<<8|uint64(turn+1))
	}
	return out
}

// replaySnapshot is the replica view at step: six replicas in two pools
// and two sets, whose load, readiness and versions change with the step.
func replaySnapshot(step int, rng *lcg) scheduling.Snapshot {
	var rs []scheduling.Replica
	for i := range 6 {
		r := rep(fmt.Sprintf("r%d", i), int64(1000+rng.n(8)*500), func(r *scheduling.Replica) {
			r.SlotsTotal, r.ActiveSlots = 4, rng.n(7)
			r.Ready = rng.n(6) != 0
			r.CtxMaxSupported = []int{1024, 4096, 8192}[i%3]
			if i == 3 { // r3 samples its engine queue, sometimes too deep
				r.Sampled, r.QueueDepth, r.SampleAgeMs = true, rng.n(6), 10
			}
		})
		if i >= 4 {
			r.PoolID, r.Devices = "p2", []int{7}
			r.ReplicaSet, r.EngineVersion = "rs-b", "b5000"
			r.Ready = r.Ready && step%9 != 4 // p2 goes down now and then
		}
		if step > 80 && i == 1 { // r1 is upgraded in place: a new set
			r.ReplicaSet, r.EngineVersion = "", "b4300"
		}
		if step%17 == 3 && i == 2 { // r2 reports a drifted sampler profile
			r.SamplerProfileVersion = "sp9"
		}
		rs = append(rs, r)
	}
	return snapOf(rs...)
}

// eventLine is the decision content of an event.
func eventLine(e observe.Event) string {
	s := fmt.Sprintf("@%d %v task=%s job=%s replica=%s reason=%s seed=%d attempt=%d delay=%d q=%d d=%d warm=%v fb=%v pin=%v depth=%d/%d",
		e.AtMs, e.Kind, e.TaskID, e.JobID, e.ReplicaID, e.Reason, e.Seed, e.Attempt, e.DelayMs,
		e.QueueTimeMs, e.DecodeTimeMs, e.KVWarmth, e.Fallback, e.Pinned, e.QueueDepth, e.ClassDepth)
	if pl := e.Placement; pl != nil {
		s += fmt.Sprintf(" cand=%d/%d %v", pl.CandidatesFeasible, pl.CandidatesTotal, pl.Filtered)
	}
	if e.EvictedBy != "" {
		s += " by=" + e.EvictedBy
	}
	if e.Kind == observe.Dispatched {
		s += fmt.Sprintf(" matched=%d guarded=%v prio=%d", e.MatchedBlocks, e.Guarded, e.EnginePriority)
	}
	if e.PreemptedBy != "" {
		s += " preempted_by=" + e.PreemptedBy
	}
	return s
}

func digest(lines []string) string {
	h := sha256.Sum256([]byte(strings.Join(lines, "\n") + "\n"))
	return hex.EncodeToString(h[:])
}

const (
	replayLog    = "testdata/replay.log"
	replayDigest = "testdata/replay.sha256"
	childEnv     = "CORE_REPLAY_CHILD"
)

// The same arrivals and snapshots give the same decisions: twice in this
// process, in a fresh process, and as committed in testdata (so a build
// that decides differently fails; -update rewrites after review).
func TestReplayDecisions(t *testing.T) {
	for _, id := range []string{"OC-CORE-1033", "OC-CORE-1055", "OC-CORE-1056", "OC-CORE-1057"} {
		t.Attr("req", id)
	}
	a, b := decisionLog(), decisionLog()
	if len(a) < 500 {
		t.Fatalf("script too short: %d lines", len(a))
	}
	if d := firstDiff(a, b); d != "" {
		t.Fatalf("two runs in one process differ: %s", d)
	}
	// The script must exercise every kind of decision it claims to.
	joined := strings.Join(a, "\n")
	for _, want := range []string{"dispatched", "no_capacity", "retried", "timed_out", "canceled", "dropped",
		"reason=POOL_UNREADY", "reason=INVALID_PARAMS", "BUDGET_EXCEEDED", "CTX_EXCEEDED", "REPLICA_SET_MISMATCH",
		"pin=true", "warm=true", "fb=true", "failed", "completed", "token",
		"reason=SATURATED", "preempted_by=", "guarded=true", "matched=2", "matched=3"} {
		if !strings.Contains(joined, want) {
			t.Errorf("the script never produced %q", want)
		}
	}

	cmd := exec.Command(os.Args[0], "-test.run=^TestReplayChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), childEnv+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	want := "digest=" + digest(a)
	if !strings.Contains(string(out), want) {
		t.Fatalf("fresh process decided differently: want %s, got\n%s", want, out)
	}

	if *update {
		os.WriteFile(replayLog, []byte(strings.Join(a, "\n")+"\n"), 0o644)
		os.WriteFile(replayDigest, []byte(digest(a)+"\n"), 0o644)
	}
	golden, err := os.ReadFile(replayDigest)
	if err != nil {
		t.Fatal(err)
	}
	if got := digest(a); strings.TrimSpace(string(golden)) != got {
		committed, _ := os.ReadFile(replayLog)
		t.Fatalf("decisions changed since %s (digest %s, committed %s): %s",
			replayDigest, got, strings.TrimSpace(string(golden)), firstDiff(strings.Split(strings.TrimSuffix(string(committed), "\n"), "\n"), a))
	}
}

// TestReplayChild is the fresh process of TestReplayDecisions (which
// carries the requirement); run directly it has nothing to compare with
// and skips.
func TestReplayChild(t *testing.T) {
	if os.Getenv(childEnv) == "" {
		t.Skip("runs only as the child process of TestReplayDecisions (" + childEnv + " unset)")
	}
	fmt.Printf("digest=%s\n", digest(decisionLog()))
}

func firstDiff(a, b []string) string {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return fmt.Sprintf("line %d:\n  %s\n  %s", i+1, a[i], b[i])
		}
	}
	if len(a) != len(b) {
		return fmt.Sprintf("lengths %d and %d", len(a), len(b))
	}
	return ""
}
