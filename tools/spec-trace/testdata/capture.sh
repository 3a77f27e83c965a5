#!/bin/sh
# Regenerates the captured result streams in results/ from the tiny
# throwaway test packages in fixture/. The packages fail on purpose.
# Run from this directory: sh capture.sh
set -u
cd fixture
GOWORK=off go test -trimpath -json -count=1 ./... > ../results/gotest-all.json
GOWORK=off go test -trimpath -json ./okpkg > /dev/null
GOWORK=off go test -trimpath -json ./okpkg > ../results/gotest-cached.json   # replayed from the build cache
GOWORK=off go test -trimpath -json -count=2 ./failpkg > ../results/gotest-count2.json
cd crash   # a test times out, one hangs without a reference, a goroutine panics
GOWORK=off go test -trimpath -json -count=1 -timeout=2s ./... > ../../results/gotest-crash.json
cd ../rerun   # gotestsum: a test that fails once and passes on the rerun; JUnit of tests with t.Attr
mark=$(mktemp -u)
FLAKY_MARK=$mark GOWORK=off go run gotest.tools/gotestsum@v1.13.0 --format standard-quiet \
	--jsonfile ../../results/gotestsum-rerun.json --junitfile ../../results/gotestsum-junit.xml \
	--rerun-fails=2 --packages ./... -- -trimpath -count=1 > /dev/null
rm -f "$mark"
cd ../suite
GOWORK=off go test -trimpath -count=1 . > /dev/null   # writes ../../results/cucumber.json
exit 0
