package model_test

import (
	"fmt"

	"orchcore.dev/tools/spec-trace/internal/model"
)

func ExampleBuild() {
	reqs := []model.Requirement{{ID: "OC-CORE-1001", Level: model.Must, Title: "Bounded FIFO per class"}}
	tests := []model.Test{
		{Name: "TestQueue", Kind: model.KindGo, Status: model.Passed, Reqs: []string{"OC-CORE-1001"}},
		{Name: "TestQueue/full", Kind: model.KindGo, Status: model.Skipped, Reqs: []string{"OC-CORE-1001"}},
	}
	rep := model.Build(reqs, tests, nil)
	fmt.Println(rep.Requirements[0].ID, rep.Requirements[0].Status, len(rep.Requirements[0].Tests))
	// Output: OC-CORE-1001 proven 2
}
