#!/usr/bin/env bash
# Shows that scripts/mutation.sh judges gremlins' output as documented,
# on a fixture: a copy of the script in a temporary tree with a tiny
# package, made-up gremlins output and a list of equivalent mutants. It
# needs neither gremlins nor Go and runs in well under a second.
#   scripts/mutation-selftest.sh
# Exit 0 when every case holds, 1 when one does not.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/scripts" "$tmp/orchestrator-core/fake" "$tmp/reports/mutation"
cp "$here/mutation.sh" "$tmp/scripts/"
src=$tmp/orchestrator-core/fake/fake.go
list=$tmp/orchestrator-core/mutation-equivalent.tsv
out=$tmp/reports/mutation
T=$'\t'

# fixture writes fake.go with $1 blank lines before F, and gremlins output
# for it: the boundary mutant of F's comparison lived, its negation was
# killed, and the by-hand pass killed G's increment.
fixture() {
	local pad=$1 l
	{
		echo "package fake"
		for ((l = 0; l < pad; l++)); do echo; done
		printf 'func F(a, b int) int {\n\tif a > b {\n\t\treturn a\n\t}\n\treturn b\n}\n\n'
		printf 'func G(n int) int {\n\tfor i := 0; i < n; i++ {\n\t}\n\treturn n\n}\n'
	} >"$src"
	l=$((pad + 3))
	cat >"$out/fake.all.txt" <<EOF
Starting...
      KILLED CONDITIONALS_NEGATION at fake.go:$l:7
       LIVED CONDITIONALS_BOUNDARY at fake.go:$l:7
      KILLED INCREMENT_DECREMENT at fake.go:$((l + 6)):23
Mutation testing completed
EOF
	echo 1 >"$out/fake.byhand"
}
entryF="fake/fake.go${T}F${T}CONDITIONALS_BOUNDARY${T}6${T}if a > b {"
header="# file func mutator col line reason"

fails=0
# check NAME WANT-EXIT PATTERN [VAR=value...]: run the copy on package
# $pkg (fake) and check its exit code and that its output matches PATTERN
# (an extended regexp).
check() {
	local name=$1 want=$2 pat=$3 rc=0
	shift 3
	env MUTATION_REUSE=1 "$@" "$tmp/scripts/mutation.sh" "${pkg:-fake}" >"$tmp/log" 2>&1 || rc=$?
	if [ "$rc" -ne "$want" ] || ! grep -qE "$pat" "$tmp/log"; then
		echo "FAIL $name: exit $rc (want $want), output:" >&2
		sed 's/^/    /' "$tmp/log" >&2
		fails=$((fails + 1))
	else
		echo "ok   $name"
	fi
}

fixture 0
printf '%s\n%s\tat a > b with b = a, F returns b == a: same result\n' "$header" "$entryF" >"$list"
check "a listed lived mutant is equivalent" 0 "fake +2 +1 +0 +1 .* 100\.00% +ok"

fixture 5
check "the key survives lines inserted above it" 0 "fake +2 +1 +0 +1 .* 100\.00% +ok"

printf '%s\n' "$header" >"$list"
check "an unlisted lived mutant fails the run" 1 "lived, not listed:${T}fake/fake.go${T}F${T}CONDITIONALS_BOUNDARY${T}6${T}if a > b \{"
if ! grep -qF "${entryF}${T}REASON" "$out/unlisted.tsv"; then
	echo "FAIL unlisted.tsv lacks the key: $(cat "$out/unlisted.tsv")" >&2
	fails=$((fails + 1))
fi
check "the threshold decides (2 of 3 killed is 66.67%)" 0 "66\.67% +ok" MUTATION_THRESHOLD=60

printf '%s\n%s\treason\nfake/fake.go\tF\tCONDITIONALS_BOUNDARY\t6\tif a >= b {\tthe line was edited\n' "$header" "$entryF" >"$list"
check "an entry whose line changed is stale" 1 "stale entry .*matches no mutant.*if a >= b"

printf '%s\n%s\treason\nfake/fake.go\tF\tCONDITIONALS_NEGATION\t6\tif a > b {\tnot equivalent at all\n' "$header" "$entryF" >"$list"
check "an entry for a killed mutant is stale" 1 "stale entry .*killed now"

printf '%s\n%s\n' "$header" "$entryF" >"$list"
check "an entry without a reason is refused" 2 "want 6 tab-separated fields"

rm "$out/fake.all.txt"
printf '%s\n' "$header" >"$list"
check "reuse without a previous run is an error" 2 "holds no complete run of fake"

pkg=nope check "an unknown package is a usage error" 2 "nope is not a package directory"
if [ "$fails" -ne 0 ]; then
	echo "mutation-selftest: $fails case(s) failed" >&2
	exit 1
fi
echo "mutation-selftest: every case holds"
