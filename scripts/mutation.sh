#!/usr/bin/env bash
# Mutation testing of the orchestrator core with gremlins, one package at a
# time, with a per-package efficacy gate.
#   scripts/mutation.sh [PACKAGE...]     (default: every core package)
# PACKAGE is a directory of orchestrator-core (queue, fairness, ...).
#
# Environment (all optional):
#   MUTATION_THRESHOLD            minimum efficacy per package, percent (95)
#   MUTATION_WORKERS              gremlins --workers (1: the tests of one
#                                 mutant already use both cores of a 2-core box)
#   MUTATION_TIMEOUT_COEFFICIENT  gremlins --timeout-coefficient (10)
#   MUTATION_BY_HAND=0            skip the second pass (below)
#   MUTATION_REUSE=1              classify the previous run's output (both passes)
#                                 again, testing nothing (after editing the list;
#                                 no install, no Go needed)
#   REPORTS                       output directory (reports); gremlins' own
#                                 output goes to $REPORTS/mutation/PACKAGE.{txt,json},
#                                 the table to summary.txt, the keys of lived
#                                 mutants the list lacks to unlisted.tsv
#
# gremlins runs in a staging copy of the module (see "staging" below).
#
# Second pass: gremlins does not test a mutant outside every block of Go's
# coverage profile ("not covered"), and that profile has no block for the
# expression of a switch case or for a constant declaration, though tests
# run them. The script applies each such mutant itself (same token
# replacement as gremlins), runs the package's tests on a copy of the
# module, and counts it killed, lived or not viable like the others; the
# "by hand" column says how many were. Only mutants that even this cannot
# apply stay "not covered".
#
# Efficacy = (killed + timed out) / (killed + timed out + lived - equivalent).
# Equivalent mutants are the lived ones listed, with a reason, in
# orchestrator-core/mutation-equivalent.tsv (format in that file). A listed
# entry of a package that was run and matches no lived mutant is stale and
# fails the run, so the list stays honest.
#
# Exit codes: 0 every package meets the threshold and no entry is stale;
# 1 a package is below the threshold or an entry is stale; 2 usage, install
# or tool error (for example the package's own tests fail).
set -euo pipefail

all=(fairness determinism queue scheduling guardrails watchdog backoff observe internal/lru)
version=v0.6.0
root=$(cd "$(dirname "$0")/.." && pwd)
core=$root/orchestrator-core
list=$core/mutation-equivalent.tsv
bin=$root/bin/gremlins
threshold=${MUTATION_THRESHOLD:-95}
workers=${MUTATION_WORKERS:-1}
coef=${MUTATION_TIMEOUT_COEFFICIENT:-10}
reports=${REPORTS:-reports}
case $reports in /*) ;; *) reports=$root/$reports ;; esac
out=$reports/mutation

usage() {
	echo "usage: $0 [PACKAGE...]   (packages of orchestrator-core; default: ${all[*]})" >&2
	exit 2
}
case ${1:-} in -h | --help) usage ;; esac
pkgs=("$@")
[ ${#pkgs[@]} -gt 0 ] || pkgs=("${all[@]}")
for p in "${pkgs[@]}"; do
	[[ $p =~ ^[a-z][a-z0-9_/]*$ && -d $core/$p ]] || {
		echo "mutation: $p is not a package directory of orchestrator-core" >&2
		usage
	}
done
[[ $threshold =~ ^[0-9]+([.][0-9]+)?$ ]] || { echo "mutation: MUTATION_THRESHOLD=$threshold is not a number" >&2; exit 2; }
[ -f "$list" ] || { echo "mutation: $list is missing" >&2; exit 2; }

reuse=${MUTATION_REUSE:-0}
if [ "$reuse" = 1 ]; then
	for p in "${pkgs[@]}"; do
		[ -s "$out/$p.all.txt" ] && [ -s "$out/$p.byhand" ] ||
			{ echo "mutation: MUTATION_REUSE=1 but ${out#"$root"/} holds no complete run of $p" >&2; exit 2; }
	done
fi

# Install gremlins into bin/ unless that exact version is already there.
if [ "$reuse" != 1 ] && ! go version -m "$bin" 2>/dev/null | grep -qE "^[[:space:]]+mod[[:space:]]+github.com/go-gremlins/gremlins[[:space:]]+$version([[:space:]]|$)"; then
	echo "mutation: installing gremlins $version into bin/"
	mkdir -p "$root/bin"
	(cd "$root" && GOWORK=off GOBIN="$root/bin" go install "github.com/go-gremlins/gremlins/cmd/gremlins@$version") ||
		{ echo "mutation: go install of gremlins $version failed" >&2; exit 2; }
fi

# Checks the list's syntax once: six tab-separated fields and a reason.
awk -F'\t' '/^#/ || /^[[:space:]]*$/ { next }
	NF != 6 || $6 ~ /^[[:space:]]*$/ {
		printf "%s:%d: want 6 tab-separated fields (file, func, mutator, col, line, reason), got %d\n", FILENAME, FNR, NF > "/dev/stderr"; bad = 1 }
	END { exit bad }' "$list" || exit 2

# classify reads gremlins' output of one package and prints, tab-separated:
#   "count" killed lived notcovered equivalent timedout notviable
#   "lived" KEY            a lived mutant the list does not explain
#   "stale" LINE KEY why   a list entry of this package that explains nothing
# KEY is file, func, mutator, column within the trimmed line, trimmed line:
# no line number, so an edit elsewhere in the file does not invalidate it.
read -r -d '' classify <<'AWK' || true
function src(file, n,   path, line, i) {
	path = dir "/" file
	if (!(path in loaded)) {
		loaded[path] = 1
		i = 0
		while ((getline line < path) > 0) lines[path, ++i] = line
		close(path)
	}
	return (path, n) in lines ? lines[path, n] : ""
}
# fn is the name of the top-level func declared at or above line n.
function fn(file, n,   l, name) {
	for (; n > 0; n--) {
		l = src(file, n)
		if (l ~ /^func /) {
			name = l
			sub(/^func /, "", name)
			if (name ~ /^\(/) { # method: receiver type, then name
				recv = name
				sub(/\).*/, "", recv); sub(/^\(/, "", recv); sub(/.*[ *]/, "", recv); sub(/\[.*/, "", recv)
				sub(/^\([^)]*\) */, "", name)
				name = recv "." name
			}
			sub(/[[(].*/, "", name)
			return name
		}
	}
	return "-"
}
function key(file, n, col, mut,   l, ind, t) {
	l = src(file, n)
	match(l, /^[ \t]*/)
	ind = RLENGTH
	t = substr(l, ind + 1)
	sub(/[ \t]+$/, "", t)
	gsub(/\t/, " ", t)
	return pkg "/" file "\t" fn(file, n) "\t" mut "\t" (col - ind) "\t" t
}
BEGIN {
	FS = "\t"
	while ((getline e < list) > 0) {
		ln++
		if (e ~ /^#/ || e ~ /^[[:space:]]*$/) continue
		split(e, f, "\t")
		if (index(f[1], pkg "/") != 1 || index(substr(f[1], length(pkg) + 2), "/") > 0) continue
		k = f[1] "\t" f[2] "\t" f[3] "\t" f[4] "\t" f[5]
		entry[k] = ln
	}
	close(list)
	FS = " "
}
{ sub(/\r$/, "") }
match($0, /^ *(KILLED|LIVED|NOT COVERED|TIMED OUT|NOT VIABLE|SKIPPED) [A-Z_]+ at [^ ]+:[0-9]+:[0-9]+$/) {
	line = $0
	sub(/^ +/, "", line)
	status = line
	sub(/ [A-Z_]+ at .*/, "", status)
	rest = substr(line, length(status) + 2)
	mut = rest
	sub(/ .*/, "", mut)
	pos = rest
	sub(/.* at /, "", pos)
	n = split(pos, p, ":")
	col = p[n]; ln = p[n - 1]
	file = substr(pos, 1, length(pos) - length(col) - length(ln) - 2)
	k = key(file, ln + 0, col + 0, mut)
	if (status == "KILLED") { killed++; seen[k] = seen[k] "killed," }
	else if (status == "TIMED OUT") { timedout++; seen[k] = seen[k] "killed," }
	else if (status == "NOT VIABLE") notviable++
	else if (status == "NOT COVERED") { notcovered++; seen[k] = seen[k] "not covered," }
	else if (status == "LIVED") {
		lived++
		if (k in entry) { equivalent++; used[k] = 1 } else print "lived\t" k
	}
}
END {
	for (k in entry) {
		if (k in used) continue
		why = "matches no mutant"
		if (k in seen) {
			why = seen[k]
			sub(/,$/, "", why)
			why = "the mutant is " why " now, not lived"
		}
		print "stale\t" entry[k] "\t" k "\t" why
	}
	printf "count\t%d\t%d\t%d\t%d\t%d\t%d\n", killed, lived, notcovered, equivalent, timedout, notviable
}
AWK

# apply replaces, on line ln of a Go file, the operator at byte column col
# by gremlins' replacement for mutator mut; exit 3 if it has none.
read -r -d '' apply <<'AWK' || true
BEGIN {
	split("ARITHMETIC_BASE + - ARITHMETIC_BASE - + ARITHMETIC_BASE * / ARITHMETIC_BASE / * ARITHMETIC_BASE % * " \
		"CONDITIONALS_BOUNDARY >= > CONDITIONALS_BOUNDARY > >= CONDITIONALS_BOUNDARY <= < CONDITIONALS_BOUNDARY < <= " \
		"CONDITIONALS_NEGATION == != CONDITIONALS_NEGATION != == CONDITIONALS_NEGATION >= < CONDITIONALS_NEGATION > <= " \
		"CONDITIONALS_NEGATION <= > CONDITIONALS_NEGATION < >= INCREMENT_DECREMENT ++ -- INCREMENT_DECREMENT -- ++ " \
		"INVERT_NEGATIVES - +", m, " ")
	for (i = 1; i in m; i += 3) to[m[i], m[i + 1]] = m[i + 2]
	done = 0
}
FNR == ln {
	two = substr($0, col, 2)
	op = (two ~ /^(>=|<=|==|!=|\+\+|--|<<|>>|&&|\|\||&\^|\+=|-=|\*=|\/=|%=)$/) ? two : substr($0, col, 1)
	if ((mut, op) in to) {
		$0 = substr($0, 1, col - 1) to[mut, op] substr($0, col + length(op))
		done = 1
	}
}
{ print }
END { exit done ? 0 : 3 }
AWK

# byhand runs the second pass over package $1 in the staging copy: it
# writes gremlins' output with each NOT COVERED mutant's status replaced by
# the result of testing it, and prints how many it tested.
byhand() {
	local p=$1 rc n=0 t1 limit line mut file ln col status src
	t1=$SECONDS
	(cd "$stage" && go test -count=1 "./$p" >"$stage.log" 2>&1) ||
		{ cat "$stage.log" >&2; echo "mutation: the tests of $p fail in the staging copy" >&2; return 2; }
	limit=$(((SECONDS - t1 + 1) * coef))
	[ "$limit" -ge 30 ] || limit=30
	while IFS= read -r line; do
		if [[ $line =~ ^\ *NOT\ COVERED\ ([A-Z_]+)\ at\ (.+):([0-9]+):([0-9]+)$ ]]; then
			mut=${BASH_REMATCH[1]} file=${BASH_REMATCH[2]} ln=${BASH_REMATCH[3]} col=${BASH_REMATCH[4]}
			src=$stage/$p/$file
			status="NOT COVERED"
			if LC_ALL=C awk -v ln="$ln" -v col="$col" -v mut="$mut" "$apply" "$core/$p/$file" >"$src"; then
				n=$((n + 1))
				rc=0
				(cd "$stage" && timeout "$limit" go test -count=1 -failfast "./$p" >"$stage.log" 2>&1) || rc=$?
				if [ $rc -eq 0 ]; then
					status=LIVED
				elif [ $rc -eq 124 ]; then
					status="TIMED OUT"
				elif grep -qE '\[(build|setup) failed\]|^# ' "$stage.log"; then
					status="NOT VIABLE"
				else
					status=KILLED
				fi
			fi
			cp "$core/$p/$file" "$src"
			printf '%12s %s at %s:%s:%s\n' "$status" "$mut" "$file" "$ln" "$col"
		else
			printf '%s\n' "$line"
		fi
	done <"$out/$p.txt" >"$out/$p.all.txt"
	echo "$n"
}

# The staging copy: the core module alone, as gremlins copies it for every
# mutant, with its replace of the configuration module made absolute (a
# relative ../contracts path resolves to nothing in gremlins' copies, and
# every mutant of a package whose tests import it would be "killed" by a
# build failure). No workspace: GOWORK=off.
if [ "$reuse" != 1 ]; then
	tmpdir=$(mktemp -d)
	trap 'rm -rf "$tmpdir"' EXIT
	stage=$tmpdir/orchestrator-core
	cp -R "$core" "$stage"
	export GOWORK=off
	# Tests that are outcome checks, not mutant detectors, skip themselves
	# under this (docs/mutation.md, "Placement simulation").
	export ORCHCORE_MUTATION=1
	(cd "$stage" && go mod edit -replace "orchcore.dev/contracts/config-schema=$root/contracts/config-schema") ||
		{ echo "mutation: cannot rewrite the staging copy's go.mod" >&2; exit 2; }
fi

mkdir -p "$out" "$out/internal"
summary=$out/summary.txt
: >"$summary"
: >"$out/unlisted.tsv"
low="" stale=""
start=$SECONDS
row() { printf '%-12s %7s %6s %12s %11s %10s %11s %8s %9s  %s\n' "$@" | tee -a "$summary"; }
for p in "${pkgs[@]}"; do
	t0=$SECONDS
	echo "== mutation $p (workers $workers, timeout coefficient $coef)"
	hand=0
	if [ "$reuse" = 1 ]; then
		echo "   (reusing ${out#"$root"/}/$p.all.txt)"
		hand=$(cat "$out/$p.byhand")
	elif ! (cd "$stage" && go test -count=1 "./$p" >"$out/$p.txt" 2>&1); then
		cat "$out/$p.txt" >&2
		echo "mutation: the tests of $p fail in the staging copy; no mutant can be judged" >&2
		exit 2
	# -count=1: gremlins derives each mutant's timeout from the coverage
	# run's duration, which a cached test result would make near zero.
	elif ! (cd "$stage" && GOFLAGS="${GOFLAGS:-} -count=1" "$bin" unleash --workers "$workers" \
		--timeout-coefficient "$coef" --output "$out/$p.json" "./$p") >"$out/$p.txt" 2>&1; then
		cat "$out/$p.txt" >&2
		echo "mutation: gremlins failed on $p (see above; do the package's tests pass?)" >&2
		exit 2
	elif [ "${MUTATION_BY_HAND:-1}" = 0 ]; then
		cp "$out/$p.txt" "$out/$p.all.txt"
	else
		hand=$(byhand "$p") || exit 2
	fi
	echo "$hand" >"$out/$p.byhand"
	res=$(LC_ALL=C awk -v pkg="$p" -v dir="$core/$p" -v list="$list" "$classify" "$out/$p.all.txt")
	read -r _ k l nc eq to nv <<<"$(grep '^count' <<<"$res")"
	if [ $((k + l + nc + to + nv)) -eq 0 ]; then
		echo "mutation: gremlins reported no mutant for $p; its output is in $out/$p.txt" >&2
		exit 2
	fi
	eff=$(awk -v k=$((k + to)) -v l=$((l - eq)) 'BEGIN { if (k + l == 0) print "100.00"; else printf "%.2f", 100 * k / (k + l) }')
	ok=$(awk -v e="$eff" -v t="$threshold" 'BEGIN { print (e + 0 >= t + 0) ? "ok" : "low" }')
	[ -s "$summary" ] || row package killed lived "not covered" equivalent "timed out" "not viable" "by hand" efficacy ""
	verdict=ok
	[ "$ok" = ok ] || { verdict="BELOW ${threshold}%"; low="$low $p"; }
	row "$p" "$k" "$l" "$nc" "$eq" "$to" "$nv" "$hand" "$eff%" "$verdict ($((SECONDS - t0))s)"
	while IFS=$'\t' read -r kind a b c d e f g; do
		case $kind in
		lived)
			printf '  lived, not listed:\t%s\t%s\t%s\t%s\t%s\n' "$a" "$b" "$c" "$d" "$e" | tee -a "$summary"
			printf '%s\t%s\t%s\t%s\t%s\tREASON\n' "$a" "$b" "$c" "$d" "$e" >>"$out/unlisted.tsv"
			;;
		stale)
			printf '  stale entry (%s line %s: %s):\t%s\t%s\t%s\t%s\t%s\n' "${list#"$root"/}" "$a" "$g" "$b" "$c" "$d" "$e" "$f" | tee -a "$summary"
			stale="$stale $p"
			;;
		esac
	done <<<"$(grep -v '^count' <<<"$res" || true)"
done
echo "mutation: $(( SECONDS - start ))s for ${pkgs[*]}; figures in ${summary#"$root"/}"
if [ -n "$low" ]; then
	cat >&2 <<EOF
mutation: FAILED: below ${threshold}% efficacy:$low. These packages have
lived mutants that no test kills and the list does not explain (printed
above as "lived, not listed"; their keys, ready to paste, are in
${out#"$root"/}/unlisted.tsv). For each: write a test that kills it or, if
no input can tell it from the original, add its key and the reason to
${list#"$root"/} (docs/mutation.md says how to review one).
EOF
fi
if [ -n "$stale" ]; then
	cat >&2 <<EOF
mutation: FAILED: stale entries in ${list#"$root"/} for:$stale. A stale entry
explains no lived mutant any more (its line changed, or a test kills the
mutant now): delete it, or re-key it after reviewing the new line.
EOF
fi
[ -z "$low$stale" ] || exit 1
