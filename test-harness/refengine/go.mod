module orchcore.dev/test-harness/refengine

go 1.26
