package observe_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"log/slog"
	"os"
	"slices"
	"testing"

	"orchcore.dev/orchestrator-core/observe"
)

// jobFields is the field set OC-CORE-1040 names, written out here rather
// than taken from the code under test.
var jobFields = []string{
	"job_id", "session_id", "engine", "engine_version", "pool_id",
	"replica_id", "model_id", "quant", "ctx", "kv_warmth",
	"queue_time_ms", "decode_time_ms", "seed", "sampler_profile_version",
}

// eventFields are the other keys every record carries, placement counts
// (OC-CORE-1042) included.
var eventFields = []string{
	"event", "task_id", "reason", "candidates_total", "candidates_feasible",
}

var kinds = []observe.Kind{
	observe.Admitted, observe.Rejected, observe.Dropped, observe.Dispatched,
	observe.NoCapacity, observe.Token, observe.Retried, observe.Canceled,
	observe.Completed, observe.Failed, observe.TimedOut, observe.Replica,
	observe.Preload,
}

// records logs each event at Debug into JSON and decodes the records.
func records(t *testing.T, lvl slog.Level, evs ...observe.Event) []map[string]any {
	t.Helper()
	var buf bytes.Buffer
	lg := observe.NewLogger(slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: lvl})))
	for _, e := range evs {
		lg.Observe(e)
	}
	var out []map[string]any
	sc := bufio.NewScanner(&buf)
	for sc.Scan() {
		var r map[string]any
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("record %q: %v", sc.Text(), err)
		}
		out = append(out, r)
	}
	return out
}

// missing returns the keys of want that r lacks.
func missing(r map[string]any, want []string) []string {
	var out []string
	for _, k := range want {
		if _, ok := r[k]; !ok {
			out = append(out, k)
		}
	}
	return out
}

func full(k observe.Kind) observe.Event {
	return observe.Event{
		Kind: k, AtMs: 42, TaskID: "t1", JobID: "j1", SessionID: "s1",
		Tenant: "acme", Class: "batch", PoolID: "p0", Reason: "R",
		ReplicaID: "r3", Engine: "llama.cpp", EngineVersion: "b4500",
		SamplerProfileVersion: "sp2", ModelID: "m7", Quant: "q4_k_m",
		Ctx: 8192, KVWarmth: true, Seed: 18446744073709551615,
		QueueTimeMs: 12, DecodeTimeMs: 340,
		Placement: &observe.Placement{CandidatesTotal: 5, CandidatesFeasible: 2,
			Filtered: []observe.ReasonCount{{Reason: "INSUFFICIENT_CTX", Count: 3}}},
	}
}

func TestLogFieldCoverage(t *testing.T) {
	t.Attr("req", "OC-CORE-1040")
	want := append(slices.Clone(jobFields), eventFields...)
	for _, k := range kinds {
		t.Run(k.String(), func(t *testing.T) {
			t.Attr("req", "OC-CORE-1040")
			// A bare event must still carry every key, zero-valued.
			for _, ev := range []observe.Event{full(k), {Kind: k}} {
				rs := records(t, slog.LevelDebug, ev)
				if len(rs) != 1 {
					t.Fatalf("%d records, want 1", len(rs))
				}
				if m := missing(rs[0], want); m != nil {
					t.Errorf("record %v lacks %v", rs[0], m)
				}
				if rs[0]["event"] != k.String() || rs[0]["msg"] != k.String() {
					t.Errorf("event %v msg %v, want %s", rs[0]["event"], rs[0]["msg"], k)
				}
			}
		})
	}
}

func TestLogFieldValues(t *testing.T) {
	t.Attr("req", "OC-CORE-1040")
	r := records(t, slog.LevelDebug, full(observe.Completed))[0]
	want := map[string]any{
		"job_id": "j1", "session_id": "s1", "engine": "llama.cpp",
		"engine_version": "b4500", "pool_id": "p0", "replica_id": "r3",
		"model_id": "m7", "quant": "q4_k_m", "ctx": 8192.0, "kv_warmth": true,
		"queue_time_ms": 12.0, "decode_time_ms": 340.0,
		"seed": 18446744073709551615.0, "sampler_profile_version": "sp2",
	}
	for k, v := range want {
		if r[k] != v {
			t.Errorf("%s = %#v, want %#v", k, r[k], v)
		}
	}
}

func TestLogPlacementCounts(t *testing.T) {
	t.Attr("req", "OC-CORE-1042")
	r := records(t, slog.LevelDebug, full(observe.NoCapacity))[0]
	if r["candidates_total"] != 5.0 || r["candidates_feasible"] != 2.0 {
		t.Errorf("candidates %v/%v, want 5/2", r["candidates_total"], r["candidates_feasible"])
	}
	f, _ := r["filtered"].(map[string]any)
	if f["INSUFFICIENT_CTX"] != 3.0 {
		t.Errorf("filtered = %v, want INSUFFICIENT_CTX: 3", r["filtered"])
	}
	if r["level"] != "WARN" {
		t.Errorf("level %v, want WARN", r["level"])
	}
}

// The coverage check itself must fail on a record without the fields.
func TestMissingDetectsAbsentFields(t *testing.T) {
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("completed", "job_id", "j1")
	var r map[string]any
	if err := json.Unmarshal(buf.Bytes(), &r); err != nil {
		t.Fatal(err)
	}
	got := missing(r, jobFields)
	if len(got) != len(jobFields)-1 || slices.Contains(got, "job_id") {
		t.Fatalf("missing = %v, want every field but job_id", got)
	}
}

func TestLoggerLevels(t *testing.T) {
	rs := records(t, slog.LevelInfo, full(observe.Token), full(observe.Replica), full(observe.Admitted))
	if len(rs) != 1 || rs[0]["event"] != "admitted" {
		t.Fatalf("at Info got %v, want only the admitted record", rs)
	}
}

func BenchmarkLogger(b *testing.B) {
	var buf bytes.Buffer
	lg := observe.NewLogger(slog.New(slog.NewJSONHandler(&buf, nil)))
	ev := full(observe.Completed)
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		lg.Observe(ev)
	}
}

func ExampleNewLogger() {
	h := slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	})
	var o observe.Observer = observe.NewLogger(slog.New(h))
	o.Observe(observe.Event{Kind: observe.Admitted, TaskID: "t1", PoolID: "p0", Class: "batch", Seed: 7})
	// Output: level=INFO msg=admitted event=admitted at_ms=0 task_id=t1 job_id="" session_id="" tenant="" class=batch pool_id=p0 replica_id="" engine="" engine_version="" sampler_profile_version="" model_id="" quant="" ctx=0 kv_warmth=false seed=7 queue_time_ms=0 decode_time_ms=0 reason="" candidates_total=0 candidates_feasible=0 queue_depth=0 class_depth=0
}

// A token record says whether it carries the job's first token, so a
// first token at 0 ms reads apart from a later token.
func TestLogFirstToken(t *testing.T) {
	first, later := full(observe.Token), full(observe.Token)
	first.Tokens, first.FirstToken, first.FirstTokenMs = 1, true, 0
	later.Tokens = 4
	rs := records(t, slog.LevelDebug, first, later)
	if len(rs) != 2 {
		t.Fatalf("%d records, want 2", len(rs))
	}
	for i, want := range []map[string]any{
		{"tokens": 1.0, "first_token": true, "first_token_ms": 0.0},
		{"tokens": 4.0, "first_token": false, "first_token_ms": 0.0},
	} {
		for k, v := range want {
			if rs[i][k] != v {
				t.Errorf("record %d: %s = %#v, want %#v", i, k, rs[i][k], v)
			}
		}
	}
}
