package core_test

import (
	"testing"

	core "orchcore.dev/orchestrator-core"
	"orchcore.dev/orchestrator-core/scheduling"
)

const llama = "llama-8b"

// rep is a Ready replica of llama in pool p1 and replica set rs-a with
// free VRAM free and four slots; mods adjust it.
func rep(id string, free int64, mods ...func(*scheduling.Replica)) scheduling.Replica {
	r := scheduling.Replica{
		ID: id, PoolID: "p1", ReplicaSet: "rs-a", Engine: "llamacpp", EngineVersion: "b4100",
		SamplerProfileVersion: "sp1", ModelID: llama, ModelDigest: "sha256:aa", Quant: "q4",
		Ready: true, FreeVRAMMB: free, SlotsTotal: 4, CtxMaxSupported: 8192,
	}
	for _, m := range mods {
		m(&r)
	}
	return r
}

// snapOf lists pools p1 and p2 (p2 masked to device 7) and rs.
func snapOf(rs ...scheduling.Replica) scheduling.Snapshot {
	return scheduling.Snapshot{
		Pools:    []scheduling.Pool{{ID: "p1"}, {ID: "p2", DeviceMask: []int{7}}},
		Replicas: rs,
	}
}

// mtask is a batch task of tenant acme for llama, session "s-"+id, 100
// prompt and 100 new tokens.
func mtask(id string) core.Task {
	return core.Task{
		ID: id, Class: "batch", Tenant: "acme", SessionID: "s-" + id,
		Model: scheduling.Request{ModelID: llama}, PromptTokens: 100, MaxNewTokens: 100,
	}
}

// admit admits tasks or fails the test.
func admit(t testing.TB, p *core.Pool, ts ...core.Task) {
	t.Helper()
	for _, tk := range ts {
		if _, err := p.Admit(tk); err != nil {
			t.Fatalf("admit %s: %v", tk.ID, err)
		}
	}
}

// state asserts the state of id.
func state(t testing.TB, p *core.Pool, id string, want core.State) {
	t.Helper()
	if s, _ := p.State(id); s != want {
		t.Fatalf("state of %s = %v, want %v", id, s, want)
	}
}
