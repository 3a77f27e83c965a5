package check_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"orchcore.dev/test-harness/chaos/history"
)

var update = flag.Bool("update", false, "rewrite the crafted histories in testdata/")

// builder writes a crafted history, one record per call.
type builder struct {
	recs []history.Record
	ms   int64
	end  bool
}

func header() *history.Header {
	return &history.Header{
		Version: history.HeaderVersion, Seed: 7, Command: []string{"crafted"}, Provider: "crafted",
		Fairness: "weighted",
		Classes: []history.Class{
			{Name: "interactive", Rank: 3, Weight: 6},
			{Name: "batch", Rank: 2, Weight: 3},
			{Name: "background", Rank: 1, Weight: 1},
		},
		Retry:      history.Retry{BaseMs: 100, CapMs: 400, MaxAttempts: 3, Seed: 42},
		Replicas:   []string{"r0", "r1"},
		DurationMs: 1000, DrainMs: 1000, Rate: 10,
	}
}

func newBuilder(h *history.Header) *builder {
	b := &builder{}
	b.recs = append(b.recs, history.Record{Type: history.KindRun, Header: h})
	return b
}

func (b *builder) add(r history.Record) *builder {
	b.ms++
	r.Ms = b.ms
	b.recs = append(b.recs, r)
	return b
}

func (b *builder) core(ev, task, class string, mod ...func(*history.Record)) *builder {
	r := history.Record{Type: history.KindCore, Event: ev, Task: task, Class: class}
	if ev == "dispatched" {
		r.Attempt, r.Replica, r.Job = 1, "r0", task+"#1"
	}
	for _, m := range mod {
		m(&r)
	}
	return b.add(r)
}

func (b *builder) next() *builder { return b.add(history.Record{Type: history.KindNext}) }

// life adds admitted, next, dispatched and completed of one task.
func (b *builder) life(task, class string) *builder {
	return b.core("admitted", task, class).next().core("dispatched", task, class).core("completed", task, class)
}

func (b *builder) finish() *builder {
	b.end = true
	return b.add(history.Record{Type: history.KindEnd, Drained: true})
}

func (b *builder) bytes() []byte {
	var buf bytes.Buffer
	for i, r := range b.recs {
		r.Seq = int64(i + 1)
		line, _ := json.Marshal(r)
		buf.Write(line)
		buf.WriteByte('\n')
	}
	return buf.Bytes()
}

// crafted writes (with -update) or compares the named history and returns
// it parsed.
func crafted(t *testing.T, name string, b *builder) *history.History {
	t.Helper()
	path := filepath.Join("testdata", name+".jsonl")
	want := b.bytes()
	if *update {
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write the crafted histories)", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s differs from what its builder writes; run go test -update and review the diff", path)
	}
	h, err := history.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func at(attempt int, replica string) func(*history.Record) {
	return func(r *history.Record) { r.Attempt, r.Replica = attempt, replica }
}

func delay(attempt int, ms int64) func(*history.Record) {
	return func(r *history.Record) { r.Attempt, r.DelayMs, r.Replica = attempt, ms, "r0" }
}

func fault(ev, id, kind, target string, ok *bool) history.Record {
	return history.Record{Type: history.KindFault, Event: ev, Fault: id, Kind: kind, Replica: target, OK: ok}
}

func obs(ev, replica string) history.Record {
	return history.Record{Type: history.KindReplica, Event: ev, Replica: replica}
}
