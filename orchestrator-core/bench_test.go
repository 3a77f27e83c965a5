package core_test

import (
	"fmt"
	"testing"

	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/backoff"
	"orchcore.dev/orchestrator-core/guardrails"
	"orchcore.dev/orchestrator-core/queue"
	"orchcore.dev/orchestrator-core/scheduling"
	"orchcore.dev/orchestrator-core/watchdog"
)

// BenchmarkAdmitNext measures one task end to end: Admit (guardrails,
// session budget, seed, quotas, queue), Next on a 16-replica snapshot
// (replica-set check, placement, affinity, watchdog) and Complete.
func BenchmarkAdmitNext(b *testing.B) {
	p, err := core.New(core.Config{
		ID:       "p1",
		Classes:  classes(1024),
		Quotas:   []queue.Quota{{Tenant: "*", MaxQueued: 100, MaxInFlight: 100}},
		Limits:   guardrails.Limits{CtxMax: 8192, MaxRequestTokens: 8192},
		Budget:   &guardrails.Budget{Tokens: 1 << 60},
		Watchdog: watchdog.Limits{WallMs: 60000, IdleMs: 5000},
		Retry:    backoff.Config{BaseMs: 100, CapMs: 2000, MaxRetries: 2},
	})
	if err != nil {
		b.Fatal(err)
	}
	var rs []scheduling.Replica
	for i := range 16 {
		rs = append(rs, rep(fmt.Sprintf("r%02d", i), int64(1000+i*37%11*100), func(r *scheduling.Replica) {
			r.ActiveSlots, r.SlotsTotal = i%4, 8
			r.Devices = []int{i % 8}
			r.Features = []string{"tools", scheduling.FeatureStreaming}
			if i >= 8 {
				r.PoolID, r.ReplicaSet, r.EngineVersion = "p2", "rs-b", "b5000"
			}
		}))
	}
	snap := scheduling.Snapshot{Pools: []scheduling.Pool{{ID: "p1"}, {ID: "p2"}}, Replicas: rs}
	ids := make([]string, 8192) // twice Remember: an id is forgotten before it is reused
	for i := range ids {
		ids[i] = fmt.Sprintf("t%d", i)
	}
	tk := mtask("")
	tk.Model.Extensions = []string{"tools"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		tk.ID = ids[i%len(ids)]
		tk.SessionID = ids[i%64]
		if _, err := p.Admit(tk); err != nil {
			b.Fatal(err)
		}
		d, ok := p.Next(snap)
		if !ok {
			b.Fatalf("not placed: %+v", d)
		}
		if err := p.Complete(tk.ID); err != nil {
			b.Fatal(err)
		}
	}
}
