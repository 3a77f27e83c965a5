package dispatch_test

import (
	"context"
	"fmt"
	"testing"

	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/observe"
	"orchcore.dev/orchestrator-core/scheduling"

	"orchcore.dev/test-harness/chaos/dispatch"
)

// BenchmarkLoop measures the dispatcher loop with in-process engines under
// capacity pressure: one op is one task admitted, dispatched, streamed (one
// token) and completed. The producer admits until the queue is full (32
// per class) and then waits for a completion; 4 replicas of 4 slots.
func BenchmarkLoop(b *testing.B) {
	done := make(chan struct{}, 1)
	var completed int64
	pool := newPool(b, observe.Func(func(e observe.Event) {
		if e.Kind == observe.Completed {
			completed++ // events arrive under the pool's lock, one at a time
			select {
			case done <- struct{}{}:
			default:
			}
		}
	}), 32)
	eng := dispatch.FuncEngine(func(ctx context.Context, j *core.Job, tok func(int)) error {
		tok(1)
		return nil
	})
	var reps []dispatch.Replica
	for i := range 4 {
		reps = append(reps, dispatch.Replica{ID: fmt.Sprintf("r%d", i), Engine: eng, Slots: 4})
	}
	d := dispatch.New(dispatch.Config{Pool: pool, ModelID: "m", Replicas: reps})
	d.Start(context.Background())
	defer d.Stop()
	classes := []string{"hi", "mid", "lo"}
	ids := make([]string, b.N)
	for i := range ids {
		ids[i] = fmt.Sprintf("t%d", i)
	}
	b.ReportAllocs()
	b.ResetTimer()
	full := 0
	for i := 0; i < b.N; {
		_, err := pool.Admit(task(ids[i], classes[i%3]))
		if core.CodeOf(err) == core.QueueFull {
			// the refused task ended REJECTED; give it a fresh id
			ids[i] += "'"
			full++
			d.Kick()
			<-done
			continue
		}
		if err != nil {
			b.Fatal(err)
		}
		i++
		if i%16 == 0 {
			d.Kick()
		}
	}
	d.Kick()
	for pool.Stats().Queued+pool.Stats().InFlight > 0 {
		<-done
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tasks/s")
	if completed != int64(b.N) {
		b.Fatalf("completed %d of %d", completed, b.N)
	}
}

// BenchmarkCoreAlone is the baseline: the same pool driven by one
// goroutine with no dispatcher (Admit, Next, Token, Complete in turn).
func BenchmarkCoreAlone(b *testing.B) {
	pool := newPool(b, observe.Nop{}, 32)
	snap := scheduling.Snapshot{Replicas: []scheduling.Replica{{ID: "r0", PoolID: "p", Engine: "refengine",
		EngineVersion: "v", SamplerProfileVersion: "v", ModelID: "m", Ready: true, SlotsTotal: 4,
		Features: []string{scheduling.FeatureStreaming}}}}
	classes := []string{"hi", "mid", "lo"}
	ids := make([]string, b.N)
	for i := range ids {
		ids[i] = fmt.Sprintf("t%d", i)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		if _, err := pool.Admit(task(ids[i], classes[i%3])); err != nil {
			b.Fatal(err)
		}
		d, ok := pool.Next(snap)
		if !ok {
			b.Fatalf("not placed: %s", d.Reason)
		}
		pool.Token(d.Job.Task.ID, 1)
		pool.Complete(d.Job.Task.ID)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tasks/s")
}
