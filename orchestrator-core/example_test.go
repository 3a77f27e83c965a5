package core_test

import (
	"errors"
	"fmt"
	"strings"

	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/observe"
	"orchcore.dev/orchestrator-core/queue"
	"orchcore.dev/orchestrator-core/scheduling"
)

// replicas is a one-replica snapshot serving the model "llama".
var replicas = scheduling.Snapshot{
	Pools: []scheduling.Pool{{ID: "llama-8b"}},
	Replicas: []scheduling.Replica{{
		ID: "r1", PoolID: "llama-8b", ModelID: "llama", Ready: true, SlotsTotal: 4, CtxMaxSupported: 8192,
		Engine: "llamacpp", EngineVersion: "b4100", SamplerProfileVersion: "v1", ModelDigest: "sha256:aa",
	}},
}

func ExamplePool() {
	clock := &core.ManualClock{}
	p, err := core.New(core.Config{
		ID: "llama-8b",
		Classes: []queue.Class{
			{Name: "interactive", Rank: 3, Weight: 6, Capacity: 8},
			{Name: "batch", Rank: 2, Weight: 3, Capacity: 8},
		},
		Admission: queue.DropLRU,
		Observer: observe.Func(func(e observe.Event) {
			fmt.Println(strings.TrimSpace(fmt.Sprint("event: ", e.Kind, " ", e.TaskID, " ", e.Reason)))
		}),
		Clock: clock,
	})
	if err != nil {
		panic(err)
	}
	model := scheduling.Request{ModelID: "llama"}
	p.Admit(core.Task{ID: "t1", Class: "batch", Tenant: "acme", Model: model})
	p.Admit(core.Task{ID: "t2", Class: "interactive", Tenant: "acme", Model: model, Seed: 7, HasSeed: true})
	clock.Advance(5)
	d, _ := p.Next(replicas)
	job := d.Job
	fmt.Println("dispatched", job.ID, "on", job.Replica, "seed", job.Seed.Value, "after", job.QueueTimeMs, "ms")
	p.Token(job.Task.ID, 3)
	p.Complete(job.Task.ID)
	r, _ := p.Cancel("t1")
	fmt.Println("cancel t1:", r)
	// Output:
	// event: admitted t1
	// event: admitted t2
	// event: dispatched t2
	// dispatched t2#1 on r1 seed 7 after 5 ms
	// event: token t2
	// event: completed t2
	// event: canceled t1 CANCELED_QUEUED
	// cancel t1: canceled-queued
}

func ExamplePool_Admit() {
	p, _ := core.New(core.Config{
		Classes: []queue.Class{{Name: "batch", Rank: 1, Weight: 1, Capacity: 1}},
		Quotas:  []queue.Quota{{Tenant: "*", MaxQueued: 5}},
	})
	p.Admit(core.Task{ID: "a", Class: "batch"})
	_, err := p.Admit(core.Task{ID: "b", Class: "batch"})
	var e *core.Error
	if errors.As(err, &e) {
		fmt.Println(e.Code, e.TaskID)
	}
	fmt.Println(errors.Is(err, &core.Error{Code: core.QueueFull}))
	// Output:
	// QUEUE_FULL b
	// true
}

func ExampleCheckHistories() {
	rec := &core.Recorder{}
	p, _ := core.New(core.Config{
		ID:       "llama-8b",
		Classes:  []queue.Class{{Name: "batch", Rank: 1, Weight: 1, Capacity: 4}},
		Observer: rec,
	})
	p.Admit(core.Task{ID: "t1", Class: "batch", Model: scheduling.Request{ModelID: "llama"}})
	p.Next(replicas)
	fmt.Println(core.CheckHistories(rec.Events())) // t1 is still running
	p.Complete("t1")
	fmt.Println(core.CheckHistories(rec.Events()))
	// Output:
	// task "t1": no terminal state (last dispatched)
	// <nil>
}

func ExamplePool_Next() {
	p, _ := core.New(core.Config{
		ID:      "llama-8b",
		Classes: []queue.Class{{Name: "batch", Rank: 1, Weight: 1, Capacity: 4}},
	})
	p.Admit(core.Task{ID: "t1", Class: "batch", Model: scheduling.Request{ModelID: "llama", CtxMax: scheduling.Some(16384)}})
	d, ok := p.Next(replicas) // r1 serves 8192 tokens of context
	fmt.Println(ok, d.Outcome, d.TaskID, d.Decision.Reason, d.Decision.CandidatesTotal, d.Decision.CandidatesFeasible)
	p.Admit(core.Task{ID: "t2", Class: "batch", Pin: "other-pool", Model: scheduling.Request{ModelID: "llama"}})
	p.Cancel("t1")
	d, _ = p.Next(replicas)
	fmt.Println(d.Outcome, d.TaskID, core.CodeOf(d.Err))
	// Output:
	// false unplaced t1 INSUFFICIENT_CTX 1 0
	// refused t2 INVALID_PARAMS
}
