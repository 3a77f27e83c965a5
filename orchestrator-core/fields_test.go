package core_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"testing"

	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/backoff"
	"orchcore.dev/orchestrator-core/observe"
	"orchcore.dev/orchestrator-core/scheduling"
	"orchcore.dev/orchestrator-core/watchdog"
)

// jobFields are the fields every job's log record carries (OC-CORE-1040).
var jobFields = []string{"job_id", "session_id", "engine", "engine_version", "pool_id", "replica_id",
	"model_id", "quant", "ctx", "kv_warmth", "queue_time_ms", "decode_time_ms", "seed", "sampler_profile_version"}

// Every dispatched, token, retried and terminal job record, as logged by
// observe.NewLogger, has every job field, filled wherever the data exists.
func TestJobLogRecords(t *testing.T) {
	t.Attr("req", "OC-CORE-1040")
	var buf bytes.Buffer
	log := observe.NewLogger(slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})))
	rec := &core.Recorder{}
	p, _, clk := newPool(t, func(c *core.Config) {
		c.Classes = classes(8)
		c.Observer = observe.Multi{rec, log}
		c.Retry = backoff.Config{BaseMs: 5, CapMs: 5, MaxRetries: 1}
		c.Watchdog = watchdog.Limits{WallMs: 500}
	})
	for _, id := range []string{"ok", "retry", "slow", "abort"} {
		tk := mtask(id)
		tk.Model.Quant = scheduling.Some("q4")
		admit(t, p, tk)
	}
	snap := snapOf(rep("r1", 500), rep("r2", 400))
	clk.Advance(3)
	for range 4 {
		p.Next(snap)
	}
	clk.Advance(20)
	p.Token("ok", 4)
	p.Fail("retry", "ENGINE_ERROR")
	p.Cancel("abort")
	clk.Advance(10)
	p.Complete("ok")
	p.Next(snap) // retry#2
	clk.Advance(7)
	p.Fail("retry", "OOM")
	clk.Advance(500)
	if got := p.Tick(); len(got) != 1 || got[0].TaskID != "slow" {
		t.Fatalf("tick %v", got)
	}

	kinds := map[string]int{}
	dec := json.NewDecoder(&buf)
	for dec.More() {
		var r map[string]any
		if err := dec.Decode(&r); err != nil {
			t.Fatal(err)
		}
		ev, _ := r["event"].(string)
		switch ev {
		case "dispatched", "token", "retried", "completed", "failed", "timed_out", "canceled":
		default:
			continue
		}
		kinds[ev]++
		for _, f := range jobFields {
			v, ok := r[f]
			if !ok {
				t.Errorf("%s record of %v lacks %s", ev, r["task_id"], f)
				continue
			}
			// Fields with data must not be empty; kv_warmth is false
			// here (fresh sessions) and queue_time_ms may be 0 for a
			// retry dispatched the instant it was due.
			switch f {
			case "kv_warmth":
				if v != false {
					t.Errorf("%s %v: kv_warmth %v", ev, r["task_id"], v)
				}
			case "decode_time_ms":
				if ev != "dispatched" && ev != "token" && v == 0.0 {
					t.Errorf("%s %v: decode_time_ms 0", ev, r["task_id"])
				}
			case "queue_time_ms":
			default:
				if v == "" || v == 0.0 {
					t.Errorf("%s %v: %s empty", ev, r["task_id"], f)
				}
			}
		}
	}
	want := map[string]int{"dispatched": 5, "token": 1, "retried": 1, "completed": 1, "failed": 1, "timed_out": 1, "canceled": 1}
	for k, n := range want {
		if kinds[k] != n {
			t.Errorf("%d %s records, want %d", kinds[k], k, n)
		}
	}
	if err := core.CheckHistories(rec.Events()); err != nil {
		t.Fatal(err)
	}
}

// A no_capacity record carries the reason and the counts of OC-CORE-1042.
func TestNoCapacityLogRecord(t *testing.T) {
	t.Attr("req", "OC-CORE-1042")
	var buf bytes.Buffer
	log := observe.NewLogger(slog.New(slog.NewJSONHandler(&buf, nil)))
	p, _, _ := newPool(t, func(c *core.Config) { c.Observer = log })
	admit(t, p, mtask("a"))
	p.Next(snapOf(rep("r1", 500, func(r *scheduling.Replica) { r.ActiveSlots = 4 }),
		rep("r2", 500, func(r *scheduling.Replica) { r.ModelID = "other" })))
	var r struct {
		Event              string         `json:"event"`
		Reason             string         `json:"reason"`
		CandidatesTotal    int            `json:"candidates_total"`
		CandidatesFeasible int            `json:"candidates_feasible"`
		Filtered           map[string]int `json:"filtered"`
	}
	lines := bytes.Split(bytes.TrimSpace(buf.Bytes()), []byte("\n"))
	if err := json.Unmarshal(lines[len(lines)-1], &r); err != nil {
		t.Fatal(err)
	}
	if r.Event != "no_capacity" || r.Reason != "NO_CAPACITY" || r.CandidatesTotal != 2 || r.CandidatesFeasible != 0 ||
		r.Filtered["NO_CAPACITY"] != 1 || r.Filtered["ENGINE_MISMATCH"] != 1 || len(r.Filtered) != 2 {
		t.Fatalf("record %s", lines[len(lines)-1])
	}
}
