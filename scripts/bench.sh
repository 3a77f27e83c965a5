#!/usr/bin/env bash
# Runs every Go benchmark that docs/benchmarks.md reports, with -benchmem.
#   scripts/bench.sh [BENCHTIME]
# Each baseline runs in the same process as what it is compared with.
set -euo pipefail
t=${1:-1s}
run() { # module, benchtime, packages...
	local m=$1 bt=$2
	shift 2
	echo "== $m $*"
	(cd "$m" && go test -run '^$' -bench . -benchmem -benchtime "$bt" "$@")
}
# The naive queue baseline costs ~1 ms per op at depth 1e6; 200ms is plenty.
run orchestrator-core 200ms ./queue/
run orchestrator-core "$t" ./scheduling/ ./watchdog/ .
# Ratios on a shared machine need several runs (docs/benchmarks.md reports
# medians of three): cancel against the memory floor, each feature against
# the plain mixed workload.
echo "== orchestrator-core floor and feature ratios, -count 3"
(cd orchestrator-core && go test -run '^$' -bench 'Floor|Feature' -benchmem -benchtime 200ms -count 3 ./queue/)
(cd orchestrator-core && go test -run '^$' -bench 'PoolTTL' -benchmem -count 3 .)
# Placement ratios are medians of five (docs/benchmarks.md, Placement).
echo "== orchestrator-core placement, -count 5"
(cd orchestrator-core && go test -run '^$' -bench Place -benchmem -count 5 ./scheduling/)
run orchestrator-core/promexport "$t" .
run contracts/config-schema 200x ./load/
run test-harness/refengine "$t" ./engine/ ./server/
# 10,000 requirements, 50,000 tests, ~220 MB of go test -json.
run tools/spec-trace 3x ./internal/cli/
# The chaos dispatcher loop with in-process engines, on one core.
run test-harness/chaos "$t" -cpu 1 ./dispatch/
