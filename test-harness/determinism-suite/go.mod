module orchcore.dev/test-harness/determinism-suite

go 1.26
