module orchcore.dev/orchestrator-core

go 1.26

require (
	github.com/santhosh-tekuri/jsonschema/v6 v6.0.3 // indirect
	golang.org/x/text v0.14.0 // indirect
	gopkg.in/yaml.v3 v3.0.1 // indirect
)

require (
	github.com/google/go-cmp v0.7.0
	orchcore.dev/contracts/config-schema v0.0.0
	pgregory.net/rapid v1.3.0
)

replace orchcore.dev/contracts/config-schema => ../contracts/config-schema
