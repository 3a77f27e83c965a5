package config_test

import (
	"fmt"

	"orchcore.dev/contracts/config-schema/config"
)

func ExampleParse() {
	src := []byte(`version: 1
pools:
  - id: chat
    model_id: llama-3.1-8b
    admission_policy: drop-oldest
`)
	_, diags, err := config.Parse("chat.yaml", src, config.Strict)
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
	cfg, _, _ := config.Parse("min.yaml", []byte("version: 1\npools: [{id: p, model_id: m}]\n"), config.Strict)
	for _, c := range cfg.Classes() {
		fmt.Println(c.Name, c.Rank, c.Weight, c.Capacity)
	}
	// Output:
	// interactive 3 6 1024
	// batch 2 3 1024
	// background 1 1 1024
}
