package dispatch_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/observe"
	"orchcore.dev/orchestrator-core/queue"
	"orchcore.dev/orchestrator-core/scheduling"

	"orchcore.dev/test-harness/chaos/dispatch"
)

type wallClock struct{ start time.Time }

func (c wallClock) Now() int64 { return time.Since(c.start).Milliseconds() }

func newPool(t testing.TB, obs observe.Observer, capacity int) *core.Pool {
	t.Helper()
	p, err := core.New(core.Config{
		ID: "p",
		Classes: []queue.Class{
			{Name: "hi", Rank: 3, Weight: 6, Capacity: capacity},
			{Name: "mid", Rank: 2, Weight: 3, Capacity: capacity},
			{Name: "lo", Rank: 1, Weight: 1, Capacity: capacity},
		},
		Observer: obs, Clock: wallClock{time.Now()}, Remember: 1 << 16,
	})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func task(id, class string) core.Task {
	return core.Task{ID: id, Class: class, Model: scheduling.Request{ModelID: "m"}, PromptTokens: 4, MaxNewTokens: 4}
}

// counter counts terminal events and signals each one.
type counter struct {
	ended atomic.Int64
	ch    chan struct{}
}

func (c *counter) Observe(e observe.Event) {
	if e.Kind.Terminal() {
		c.ended.Add(1)
		select {
		case c.ch <- struct{}{}:
		default:
		}
	}
}

func TestEveryTaskEndsAndSlotsHold(t *testing.T) {
	t.Attr("req", "OC-CHAOS-8001")
	rec := &core.Recorder{}
	cnt := &counter{ch: make(chan struct{}, 1)}
	pool := newPool(t, observe.Multi{rec, cnt}, 64)
	var mu sync.Mutex
	busy := map[string]int{}
	peak := map[string]int{}
	eng := func(id string) dispatch.FuncEngine {
		return func(ctx context.Context, j *core.Job, tok func(int)) error {
			mu.Lock()
			busy[id]++
			peak[id] = max(peak[id], busy[id])
			mu.Unlock()
			defer func() { mu.Lock(); busy[id]--; mu.Unlock() }()
			time.Sleep(time.Millisecond)
			tok(1)
			return nil
		}
	}
	d := dispatch.New(dispatch.Config{Pool: pool, ModelID: "m", Replicas: []dispatch.Replica{
		{ID: "a", Engine: eng("a"), Slots: 2}, {ID: "b", Engine: eng("b"), Slots: 3},
	}})
	d.Start(context.Background())
	n := 0
	for i := range 300 {
		c := []string{"hi", "mid", "lo"}[i%3]
		if _, err := pool.Admit(task(fmt.Sprintf("t%d", i), c)); err == nil {
			n++
		}
		d.Kick()
	}
	deadline := time.After(20 * time.Second)
	for cnt.ended.Load() < 300 { // admitted tasks ended, or refused at admission
		select {
		case <-cnt.ch:
		case <-deadline:
			t.Fatalf("%d of 300 tasks ended", cnt.ended.Load())
		}
	}
	d.Stop()
	if err := core.CheckHistories(rec.Events()); err != nil {
		t.Fatal(err)
	}
	if peak["a"] > 2 || peak["b"] > 3 {
		t.Fatalf("peak concurrency %v exceeds the slots (a 2, b 3)", peak)
	}
	if d.Dispatched() != n {
		t.Fatalf("dispatched %d, want %d", d.Dispatched(), n)
	}
}

func TestDownReplicaGetsNoJobUntilReady(t *testing.T) {
	t.Attr("req", "OC-CHAOS-8004")
	var mu sync.Mutex
	var log []string
	ok := make(chan struct{})
	cnt := &counter{ch: make(chan struct{}, 1)}
	pool := newPool(t, observe.Multi{cnt, observe.Func(func(e observe.Event) {
		if e.Kind == observe.Dispatched {
			mu.Lock()
			log = append(log, "dispatch "+e.ReplicaID)
			mu.Unlock()
		}
	})}, 64)
	bad := dispatch.FuncEngine(func(ctx context.Context, j *core.Job, tok func(int)) error {
		return fmt.Errorf("connect: %w", dispatch.ErrDown)
	})
	good := dispatch.FuncEngine(func(ctx context.Context, j *core.Job, tok func(int)) error {
		<-ok
		return nil
	})
	d := dispatch.New(dispatch.Config{Pool: pool, ModelID: "m", ProbeEvery: 5 * time.Millisecond,
		OnObserve: func(r, obs, why string) { mu.Lock(); log = append(log, obs+" "+r); mu.Unlock() },
		Replicas:  []dispatch.Replica{{ID: "bad", Engine: bad, Slots: 1}, {ID: "good", Engine: good, Slots: 1}}})
	// bad has no probe: it starts Ready and is marked down by its stream,
	// and nothing marks it Ready again.
	d.Start(context.Background())
	for i := range 6 {
		pool.Admit(task(fmt.Sprintf("t%d", i), "hi"))
	}
	d.Kick()
	time.Sleep(50 * time.Millisecond)
	close(ok)
	deadline := time.After(10 * time.Second)
	for cnt.ended.Load() < 6 {
		select {
		case <-cnt.ch:
		case <-deadline:
			t.Fatalf("%d tasks ended", cnt.ended.Load())
		}
	}
	d.Stop()
	mu.Lock()
	defer mu.Unlock()
	down := -1
	for i, l := range log {
		if l == "down bad" && down < 0 {
			down = i
		}
		if down >= 0 && l == "dispatch bad" {
			t.Fatalf("dispatch to bad after it was observed down: %v", log)
		}
	}
	if down < 0 {
		t.Fatalf("bad was never observed down: %v", log)
	}
}
