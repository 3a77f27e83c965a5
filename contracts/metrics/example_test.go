package metrics_test

import (
	"fmt"

	"orchcore.dev/contracts/metrics"
)

func ExampleLoad() {
	c, err := metrics.Load()
	if err != nil {
		panic(err)
	}
	m, _ := c.Metric("tasks_rejected_total")
	fmt.Println(m.Type, m.Labels, c.Budget("reason"))
	// Output: counter [engine reason] 16
}
