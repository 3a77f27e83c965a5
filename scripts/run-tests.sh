#!/usr/bin/env bash
# Runs every module's tests with results captured, then the traceability tool.
#
#   scripts/run-tests.sh --strict|--report REPORTS_DIR MODULE...
#
# Each module's `go test -json` stream lands in REPORTS_DIR/raw/<module>.json
# (the core's mutant tests, built with -tags mutants, in <module>_mutants.json),
# the BDD suite's cucumber JSON and JUnit in REPORTS_DIR/bdd/. Then
# bin/spec-trace writes REPORTS_DIR/coverage.{md,json,html,xml} and prints the
# summary. --strict (make test) fails when a MUST requirement is not proven;
# --report (make report) fails only when a test failed. The last line is the
# plain count of tests: "tests: N passed, N failed, N skipped".
set -euo pipefail

usage() { echo "usage: $0 --strict|--report REPORTS_DIR MODULE..." >&2; exit 2; }
[ $# -ge 3 ] || usage
mode=$1 out=$2
shift 2
case $mode in --strict|--report) ;; *) usage ;; esac

root=$(pwd)
mkdir -p "$out/raw" "$out/bdd"
out=$(cd "$out" && pwd)
rm -f "$out"/raw/*.json "$out"/bdd/*
export BDD_REPORT_DIR="$out/bdd"
export TESTCONTAINERS_RYUK_DISABLED=true

gotestsum="$root/bin/gotestsum"
if [ ! -x "$gotestsum" ]; then
	GOBIN="$root/bin" go install gotest.tools/gotestsum@v1.13.0
fi

failed=()
for m in "$@"; do
	# -count=1: every test runs now. A cached pass would report a run that
	# happened earlier (perhaps with Docker present, or before a file the
	# test reads changed), and the BDD suite must write its cucumber report.
	flags=(-count=1)
	case $m in
	orchestrator-core) flags+=(-race) ;; # the core is proven under the race detector
	esac
	slug=${m//\//_}
	echo "== $m"
	if ! (cd "$m" && "$gotestsum" --format pkgname-and-test-fails \
		--jsonfile "$out/raw/$slug.json" -- "${flags[@]}" ./...); then
		failed+=("$m")
	fi
	if [ "$m" = orchestrator-core ]; then
		# The queue's mutant test needs the switches that only a build
		# with the mutants tag has; the pass above builds without it.
		# (The placement mutants are built in test code around the real
		# Placer and run in the pass above.)
		echo "== $m (-tags mutants)"
		if ! (cd "$m" && "$gotestsum" --format pkgname-and-test-fails \
			--jsonfile "$out/raw/${slug}_mutants.json" -- "${flags[@]}" -tags mutants \
			-run '^TestPropertyCatchesMutants$' ./queue/); then
			failed+=("$m (mutants)")
		fi
	fi
done

results=()
for f in "$out"/raw/*.json "$out"/bdd/cucumber.json; do
	[ -s "$f" ] && results+=(--results "$f")
done
# The evidence policy says which kinds of passing test each area needs;
# .specs/waivers.yaml, when present, is read by default.
trace=(bin/spec-trace --root . "${results[@]}" --policy .specs/trace-policy.yaml --format md,json,html,junit --out "$out")
[ "$mode" = --strict ] && trace+=(--strict)
echo "== requirement coverage (reports: $out/coverage.md, coverage.html)"
trace_rc=0
"${trace[@]}" || trace_rc=$?

count() { cat "$out"/raw/*.json | grep -cE "\"Action\":\"$1\",\"Package\":\"[^\"]*\",\"Test\":" || true; }
echo
if [ ${#failed[@]} -gt 0 ]; then
	echo "FAILED modules: ${failed[*]}"
fi
if [ $trace_rc -ne 0 ]; then
	echo "spec-trace exited $trace_rc"
fi
echo "tests: $(count pass) passed, $(count fail) failed, $(count skip) skipped"
[ ${#failed[@]} -eq 0 ] && [ $trace_rc -eq 0 ]
