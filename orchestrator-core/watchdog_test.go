package core_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/observe"
	"orchcore.dev/orchestrator-core/watchdog"
)

// The pool's watchdog ends stuck jobs TIMED_OUT with the timeout that
// fired, to the millisecond of the injected clock.
func TestTickTimesOut(t *testing.T) {
	t.Attr("req", "OC-CORE-1022")
	p, rec, clk := newPool(t, func(c *core.Config) {
		c.Classes = classes(8)
		c.Watchdog = watchdog.Limits{WallMs: 1000, IdleMs: 300}
	})
	admit(t, p, mtask("idle"), mtask("busy"), mtask("done"))
	snap := snapOf(rep("r1", 500), rep("r2", 400))
	for range 3 {
		if _, ok := p.Next(snap); !ok {
			t.Fatal("not dispatched")
		}
	}
	// busy streams a token every 200 ms; idle never produces one.
	for _, at := range []int64{200, 299} {
		clk.Set(at)
		if got := p.Tick(); len(got) != 0 {
			t.Fatalf("at %d: %v expired too early", at, got)
		}
		if at == 200 {
			p.Token("busy", 1)
		}
	}
	p.Complete("done")
	clk.Set(300)
	got := p.Tick()
	if diff := cmp.Diff([]core.Expiry{{TaskID: "idle", JobID: "idle#1", Kind: watchdog.Idle}}, got); diff != "" {
		t.Fatalf("at 300 (-want +got):\n%s", diff)
	}
	for _, at := range []int64{400, 600, 800} {
		clk.Set(at)
		p.Token("busy", 1)
		if got := p.Tick(); len(got) != 0 {
			t.Fatalf("at %d: %v", at, got)
		}
	}
	clk.Set(999)
	if got := p.Tick(); len(got) != 0 {
		t.Fatalf("at 999: %v", got)
	}
	clk.Set(1000)
	got = p.Tick()
	if diff := cmp.Diff([]core.Expiry{{TaskID: "busy", JobID: "busy#1", Kind: watchdog.Wall}}, got); diff != "" {
		t.Fatalf("at 1000 (-want +got):\n%s", diff)
	}
	state(t, p, "idle", core.TimedOut)
	state(t, p, "busy", core.TimedOut)
	state(t, p, "done", core.Completed)
	var reasons []string
	for _, ev := range rec.Events() {
		if ev.Kind == observe.TimedOut {
			reasons = append(reasons, ev.TaskID+":"+ev.Reason)
			if ev.JobID == "" || ev.ReplicaID == "" || ev.DecodeTimeMs != ev.AtMs {
				t.Errorf("timed_out event %+v", ev)
			}
		}
	}
	if !cmp.Equal(reasons, []string{"idle:IDLE", "busy:WALL"}) {
		t.Fatalf("timed_out reasons %v", reasons)
	}
	if err := core.CheckHistories(rec.Events()); err != nil {
		t.Fatal(err)
	}
	// An ended job is no longer watched, and a zero config never fires.
	clk.Set(1 << 40)
	if got := p.Tick(); got != nil {
		t.Fatalf("late tick %v", got)
	}
	q, _, qclk := newPool(t, nil)
	admit(t, q, mtask("x"))
	q.Next(snap)
	qclk.Set(1 << 40)
	if got := q.Tick(); got != nil {
		t.Fatalf("disabled watchdog fired %v", got)
	}
}
