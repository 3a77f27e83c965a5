package scheduling_test

import (
	"orchcore.dev/orchestrator-core/scheduling"
)

// base returns a request that good replicas satisfy.
func base() scheduling.Request {
	return scheduling.Request{
		ModelID:     "llama",
		ModelDigest: scheduling.Some("sha256:aa"),
		CtxMax:      scheduling.Some(4096),
		Quant:       scheduling.Some("q4"),
		Streaming:   scheduling.Some(true),
		Extensions:  []string{"tools"},
		Engine:      "llamacpp",
	}
}

// good returns a replica of pool p that satisfies base().
func good(id, pool string) scheduling.Replica {
	return scheduling.Replica{
		ID: id, PoolID: pool, ReplicaSet: "s1",
		Engine: "llamacpp", EngineVersion: "b1", SamplerProfileVersion: "v1",
		ModelID: "llama", ModelDigest: "sha256:aa", Quant: "q4",
		Ready: true, Devices: []int{0}, FreeVRAMMB: 8000,
		ActiveSlots: 0, SlotsTotal: 4, CtxMaxSupported: 8192,
		Features: []string{"streaming", "tools"},
	}
}

func pools(ids ...string) []scheduling.Pool {
	var out []scheduling.Pool
	for _, id := range ids {
		out = append(out, scheduling.Pool{ID: id, DeviceMask: []int{0, 1, 2, 3}})
	}
	return out
}
