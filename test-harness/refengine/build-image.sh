#!/usr/bin/env bash
# Builds the refengine image locally: compiles a static binary on the host
# and runs `docker build` on a temporary context holding only the binary and
# the Dockerfile. Usage: build-image.sh [TAG] (default orchcore/refengine:dev).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tag="${1:-orchcore/refengine:dev}"
ctx="$(mktemp -d)"
trap 'rm -rf "$ctx"' EXIT

(cd "$here" && CGO_ENABLED=0 GOOS=linux GOWORK=off go build -trimpath -ldflags='-s -w' -o "$ctx/refengine" ./cmd/refengine)
cp "$here/Dockerfile" "$ctx/Dockerfile"
docker build -q -t "$tag" "$ctx"
echo "built $tag"
