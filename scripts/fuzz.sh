#!/usr/bin/env bash
# Runs every fuzz target of the given modules for a bounded time each.
#   scripts/fuzz.sh FUZZTIME MODULE...
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 FUZZTIME MODULE..." >&2; exit 2; }
t=$1
shift

# owner prints the directory of the go.mod that owns directory $1.
owner() {
	local d=$1
	while [ ! -f "$d/go.mod" ]; do d=$(dirname "$d"); done
	echo "$d"
}

for m in "$@"; do
	{ grep -rlE --include='*_test.go' '^func Fuzz[A-Z]' "$m" || true; } | sort | while read -r f; do
		dir=$(dirname "$f")
		[ "$(owner "$dir")" = "$m" ] || continue # a nested module runs on its own
		pkg=./${dir#"$m"}
		pkg=${pkg/#.\/\//.\/}
		for fn in $(grep -oE '^func Fuzz[A-Za-z0-9_]+' "$f" | cut -d' ' -f2); do
			echo "== fuzz $m $pkg $fn ($t)"
			(cd "$m" && go test -run '^$' -fuzz "^$fn\$" -fuzztime "$t" -fuzzminimizetime 1s "$pkg")
		done
	done
done
