#!/usr/bin/env bash
# The nightly chaos run: every fault kind three times over several minutes,
# with the container provider when a Docker engine answers (the image is
# built locally first), else the process provider. The run directory is
# kept. Usage: scripts/chaos-nightly.sh OUT_DIR [extra chaos run flags]
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 OUT_DIR [flags]" >&2; exit 2; }
out=$1
shift
export TESTCONTAINERS_RYUK_DISABLED=true
provider=process
if docker info >/dev/null 2>&1; then
	test-harness/refengine/build-image.sh
	provider=container
else
	echo "chaos: no Docker engine answers; running the process provider"
fi
seed=${CHAOS_SEED:-$(date -u +%Y%m%d)}
mkdir -p "$out"
go run ./test-harness/chaos/cmd/chaos run --provider "$provider" --seed "$seed" \
	--duration 4m --rounds 3 --fault-duration 5s --rate 150 --out "$out" --quiet "$@"
# Then the same overload with bounded preemption (OC-CORE-1057) and every
# fault once: preempted streams stopped, no task lost, fairness over the
# class heads.
go run ./test-harness/chaos/cmd/chaos run --provider "$provider" --seed "$seed" \
	--config test-harness/chaos/configs/preempt.yaml \
	--duration 2m --rounds 1 --fault-duration 5s --rate 150 --out "$out/preempt" --quiet "$@"
