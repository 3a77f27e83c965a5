package load_test

import (
	"fmt"

	"orchcore.dev/contracts/config-schema/load"
)

func ExampleParse() {
	src := []byte(`version: 1
pools:
  - id: chat
    model_id: llama-3.1-8b
    admission_policy: drop-oldest
`)
	_, diags, err := load.Parse("chat.yaml", src, load.Strict)
	if err != nil {
		panic(err)
	}
	for _, d := range diags {
		fmt.Println(d)
	}
	// Output:
	// chat.yaml:5:23: pools[0].admission_policy: expected one of "reject", "drop-lru", "shed-low-priority", got "drop-oldest"
}

func ExampleConfig_Classes() {
	cfg, _, _ := load.Parse("min.yaml", []byte("version: 1\npools: [{id: p, model_id: m}]\n"), load.Strict)
	for _, c := range cfg.Classes() {
		fmt.Println(c.Name, c.Rank, c.Weight, c.Capacity)
	}
	// Output:
	// interactive 3 6 1024
	// batch 2 3 1024
	// background 1 1 1024
}

func ExampleFile() {
	cfg, diags, err := load.File("../examples/home.yaml", load.Strict)
	if err != nil {
		panic(err) // the file could not be read
	}
	if load.HasErrors(diags) {
		for _, d := range diags {
			fmt.Println(d)
		}
		return
	}
	for _, p := range cfg.Pools {
		fmt.Println(p.ID, p.AdmissionPolicy(), p.FairnessPolicy(), p.DeviceMask)
	}
	// Output:
	// chat shed-low-priority strict [0]
	// bulk drop-lru weighted [1]
}
