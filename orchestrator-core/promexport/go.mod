module orchcore.dev/orchestrator-core/promexport

go 1.26.0

require (
	github.com/prometheus/client_golang v1.25.0
	github.com/prometheus/common v0.72.0
	orchcore.dev/contracts/metrics v0.0.0
	orchcore.dev/orchestrator-core v0.0.0
	pgregory.net/rapid v1.3.0
)

require (
	github.com/beorn7/perks v1.0.1 // indirect
	github.com/cespare/xxhash/v2 v2.3.0 // indirect
	github.com/kylelemons/godebug v1.1.0 // indirect
	github.com/munnerz/goautoneg v0.0.0-20191010083416-a7dc8b61c822 // indirect
	github.com/prometheus/client_model v0.6.3 // indirect
	github.com/prometheus/procfs v0.22.0 // indirect
	golang.org/x/sys v0.48.0 // indirect
	google.golang.org/protobuf v1.36.12 // indirect
	gopkg.in/yaml.v3 v3.0.1 // indirect
	orchcore.dev/contracts/config-schema v0.0.0 // indirect
)

replace (
	orchcore.dev/contracts/config-schema => ../../contracts/config-schema
	orchcore.dev/contracts/metrics => ../../contracts/metrics
	orchcore.dev/orchestrator-core => ..
)
