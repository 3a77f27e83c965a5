package promexport_test

import (
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/backoff"
	"orchcore.dev/orchestrator-core/promexport"
	"orchcore.dev/orchestrator-core/queue"
	"orchcore.dev/orchestrator-core/scheduling"
)

// A real pool's preemptions feed tasks_preempted_total by the aborted
// job's class, and the queue gauge counts the task put back.
func TestPoolPreemptionFeedsExporter(t *testing.T) {
	t.Attr("req", "OC-CORE-1041")
	t.Attr("req", "OC-CORE-1057")
	reg := prometheus.NewRegistry()
	x, err := promexport.New(reg)
	if err != nil {
		t.Fatal(err)
	}
	p, err := core.New(core.Config{ID: "p1", Observer: x, Retry: backoff.Config{MaxRetries: 1},
		Preemption: core.Preemption{Enabled: true, MaxPerWindow: 4, WindowMs: 10},
		Classes:    []queue.Class{{Name: "hi", Rank: 2, Weight: 1, Capacity: 4}, {Name: "lo", Rank: 1, Weight: 1, Capacity: 4}}})
	if err != nil {
		t.Fatal(err)
	}
	r := scheduling.Replica{ID: "r1", PoolID: "p1", Ready: true, SlotsTotal: 1,
		Engine: "llamacpp", EngineVersion: "b1", SamplerProfileVersion: "s1", ModelDigest: "d1"}
	snap := scheduling.Snapshot{Replicas: []scheduling.Replica{r}}
	if _, err := p.Admit(core.Task{ID: "a", Class: "lo"}); err != nil {
		t.Fatal(err)
	}
	if _, ok := p.Next(snap); !ok {
		t.Fatal("a not placed")
	}
	if _, err := p.Admit(core.Task{ID: "b", Class: "hi"}); err != nil {
		t.Fatal(err)
	}
	snap.Replicas[0].ActiveSlots = 1
	if d, _ := p.Next(snap); d.Outcome != core.Preempted || d.TaskID != "a" {
		t.Fatalf("Next = %s %s, want a preempted", d.Outcome, d.TaskID)
	}
	want := `# HELP tasks_preempted_total In-flight jobs aborted so that a blocked head of a higher-ranked class can run; class is the aborted job's.
# TYPE tasks_preempted_total counter
tasks_preempted_total{class="lo",pool_id="p1"} 1
# HELP queue_depth Tasks waiting in a class queue.
# TYPE queue_depth gauge
queue_depth{class="hi",pool_id="p1"} 1
queue_depth{class="lo",pool_id="p1"} 1
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "tasks_preempted_total", "queue_depth"); err != nil {
		t.Error(err)
	}
}
