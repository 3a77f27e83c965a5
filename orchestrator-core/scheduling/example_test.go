package scheduling_test

import (
	"fmt"

	"orchcore.dev/orchestrator-core/scheduling"
)

func ExamplePlacer_Place() {
	req := scheduling.NewRequest(
		scheduling.Catalog{ModelID: "llama", Engine: "llamacpp"},
		scheduling.Capabilities{CtxWindow: scheduling.Some(8192), TemplateOverhead: scheduling.Some(192)},
	)
	snap := scheduling.Snapshot{
		Pools: []scheduling.Pool{{ID: "gpu", DeviceMask: []int{0, 1}}},
		Replicas: []scheduling.Replica{
			{ID: "a", PoolID: "gpu", Engine: "llamacpp", ModelID: "llama", Ready: true, Devices: []int{0},
				FreeVRAMMB: 6000, SlotsTotal: 4, CtxMaxSupported: 8000},
			{ID: "b", PoolID: "gpu", Engine: "llamacpp", ModelID: "llama", Ready: true, Devices: []int{1},
				FreeVRAMMB: 9000, SlotsTotal: 4, CtxMaxSupported: 4096},
		},
	}
	var pl scheduling.Placer
	d, err := pl.Place(&req, snap)
	fmt.Println(req.CtxMax, d.ReplicaID, err)
	fmt.Println(d.CandidatesTotal, d.CandidatesFeasible, d.Counts())
	// Output:
	// 8000 a <nil>
	// 2 1 [{INSUFFICIENT_CTX 1}]
}
