module orchcore.dev/contracts/metrics

go 1.26
