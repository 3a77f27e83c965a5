package promexport_test

import (
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/promexport"
	"orchcore.dev/orchestrator-core/queue"
)

// A real pool's queue TTLs feed tasks_expired_total by class and by the
// TTL that fired, and the queue gauge follows.
func TestPoolExpiryFeedsExporter(t *testing.T) {
	t.Attr("req", "OC-CORE-1041")
	t.Attr("req", "OC-CORE-1050")
	reg := prometheus.NewRegistry()
	x, err := promexport.New(reg)
	if err != nil {
		t.Fatal(err)
	}
	clock := &core.ManualClock{}
	p, err := core.New(core.Config{ID: "p1", Observer: x, Clock: clock,
		Classes: []queue.Class{{Name: "batch", Rank: 1, Weight: 1, Capacity: 4, TTLMs: 100}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tk := range []core.Task{{ID: "a", Class: "batch"}, {ID: "b", Class: "batch", TTLMs: 10}, {ID: "c", Class: "batch"}} {
		if _, err := p.Admit(tk); err != nil {
			t.Fatal(err)
		}
		clock.Advance(1)
	}
	clock.Advance(100) // t=103: a and c by the class TTL, b by its own
	p.Tick()
	want := `# HELP tasks_expired_total Queued or retry-waiting tasks that passed their queue-wait deadline; reason is CLASS_TTL or TASK_TTL.
# TYPE tasks_expired_total counter
tasks_expired_total{class="batch",pool_id="p1",reason="CLASS_TTL"} 2
tasks_expired_total{class="batch",pool_id="p1",reason="TASK_TTL"} 1
# HELP queue_depth Tasks waiting in a class queue.
# TYPE queue_depth gauge
queue_depth{class="batch",pool_id="p1"} 0
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "tasks_expired_total", "queue_depth"); err != nil {
		t.Error(err)
	}
}
