module orchcore.dev/orchestrator-core/promexport

go 1.26
