module orchcore.dev/test-harness/bdd

go 1.26.0

require (
	github.com/cucumber/gherkin/go/v42 v42.0.0
	github.com/cucumber/godog v0.16.0
	github.com/cucumber/messages/go/v34 v34.2.0
	github.com/prometheus/client_golang v1.25.0
	github.com/prometheus/client_model v0.6.3
	orchcore.dev/contracts/config-schema v0.0.0
	orchcore.dev/orchestrator-core v0.0.0
	orchcore.dev/orchestrator-core/promexport v0.0.0-00010101000000-000000000000
	orchcore.dev/test-harness/refengine v0.0.0
)

require (
	github.com/beorn7/perks v1.0.1 // indirect
	github.com/cespare/xxhash/v2 v2.3.0 // indirect
	github.com/google/uuid v1.6.0 // indirect
	github.com/hashicorp/go-immutable-radix v1.3.1 // indirect
	github.com/hashicorp/go-memdb v1.3.5 // indirect
	github.com/hashicorp/golang-lru v0.5.4 // indirect
	github.com/kr/pretty v0.3.1 // indirect
	github.com/munnerz/goautoneg v0.0.0-20191010083416-a7dc8b61c822 // indirect
	github.com/prometheus/common v0.72.0 // indirect
	github.com/prometheus/procfs v0.22.0 // indirect
	github.com/santhosh-tekuri/jsonschema/v6 v6.0.3 // indirect
	github.com/spf13/pflag v1.0.10 // indirect
	golang.org/x/sys v0.48.0 // indirect
	golang.org/x/text v0.42.0 // indirect
	google.golang.org/protobuf v1.36.12 // indirect
	gopkg.in/yaml.v3 v3.0.1 // indirect
	orchcore.dev/contracts/metrics v0.0.0 // indirect
)

replace (
	orchcore.dev/contracts/config-schema => ../../contracts/config-schema
	orchcore.dev/contracts/metrics => ../../contracts/metrics
	orchcore.dev/orchestrator-core => ../../orchestrator-core
	orchcore.dev/orchestrator-core/promexport => ../../orchestrator-core/promexport
	orchcore.dev/test-harness/refengine => ../refengine
)
