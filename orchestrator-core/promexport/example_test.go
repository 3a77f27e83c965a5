package promexport_test

import (
	"fmt"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"orchcore.dev/orchestrator-core/observe"
	"orchcore.dev/orchestrator-core/promexport"
)

func ExampleNew() {
	reg := prometheus.NewRegistry()
	x, err := promexport.New(reg)
	if err != nil {
		panic(err)
	}
	// Hand x to the core as its observe.Observer; here we feed it directly.
	x.Observe(observe.Event{Kind: observe.Rejected, Engine: "llamacpp", Reason: "QUEUE_FULL", Policy: "reject"})

	err = testutil.GatherAndCompare(reg, strings.NewReader(`
# HELP tasks_rejected_total Tasks refused before or at admission; engine_version is left out on purpose to bound cardinality.
# TYPE tasks_rejected_total counter
tasks_rejected_total{engine="llamacpp",reason="QUEUE_FULL"} 1
`), "tasks_rejected_total")
	fmt.Println(err)
	// Output: <nil>
}
