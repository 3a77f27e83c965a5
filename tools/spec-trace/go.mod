module orchcore.dev/tools/spec-trace

go 1.26
