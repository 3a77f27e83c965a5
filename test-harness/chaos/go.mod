module orchcore.dev/test-harness/chaos

go 1.26.0

require (
	orchcore.dev/contracts/config-schema v0.0.0
	orchcore.dev/orchestrator-core v0.0.0
	orchcore.dev/test-harness/refengine v0.0.0
)

replace (
	orchcore.dev/contracts/config-schema => ../../contracts/config-schema
	orchcore.dev/contracts/metrics => ../../contracts/metrics
	orchcore.dev/orchestrator-core => ../../orchestrator-core
	orchcore.dev/orchestrator-core/promexport => ../../orchestrator-core/promexport
	orchcore.dev/test-harness/refengine => ../refengine
)
