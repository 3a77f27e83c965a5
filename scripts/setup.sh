#!/usr/bin/env bash
# Installs the Debian packages the test suites use, once. Idempotent and quiet
# when everything is present.
#   promtool (package prometheus): checks the metrics exposition format.
set -euo pipefail
need=()
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "setup: missing ${need[*]}; run as root or install them: apt-get install ${need[*]}" >&2
	exit 1
fi
echo "setup: installing ${need[*]} from Debian"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
