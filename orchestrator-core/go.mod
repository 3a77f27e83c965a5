module orchcore.dev/orchestrator-core

go 1.26

require (
	github.com/google/go-cmp v0.7.0
	orchcore.dev/contracts/config-schema v0.0.0
	pgregory.net/rapid v1.3.0
)

replace orchcore.dev/contracts/config-schema => ../contracts/config-schema
