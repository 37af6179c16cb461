#!/usr/bin/env bash
# Runs units of Redis's own test suite (external-server mode) against fresh Moon nodes and prints
# ok/err/ignored per unit as a Markdown table. Redis's suite is not part of this repository: point
# REDIS_TESTS at an extracted Redis 7.0.15 source tree (see docs/compatibility.md for how to get it).
#
#   REDIS_TESTS=/path/to/redis-7.0.15 scripts/conformance.sh [--shards N] [--slow] unit/type/string unit/keyspace ...
#
# Each unit gets its own node (some units change settings and never restore them). Logs go to
# $OUT (default /tmp/moon-conformance). PORT (default 21111) is the first node port; Redis's
# test clients use BASEPORT (default 21600) and the 64 ports after it, so that two runs on one
# machine can be kept apart. SKIPTEST passes a --skiptest pattern to runtest.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
: "${REDIS_TESTS:?set REDIS_TESTS to an extracted Redis 7.0.15 source tree}"
out="${OUT:-/tmp/moon-conformance}"
shards=1
tags="-needs:debug -needs:repl -needs:config-maxmemory -needs:config-resetstat -needs:reset -needs:save -needs:pfdebug -needs:local-process -needs:latency"
units=()
while [ $# -gt 0 ]; do
  case "$1" in
    --shards) shards="$2"; shift 2 ;;
    --slow) slow=1; shift ;;
    *) units+=("$1"); shift ;;
  esac
done
[ -n "${slow:-}" ] || tags="$tags -slow"
[ ${#units[@]} -gt 0 ] || { echo "name at least one unit, e.g. unit/type/string" >&2; exit 2; }
mkdir -p "$out"
for b in redis-server redis-cli redis-benchmark redis-check-aof redis-check-rdb; do
  [ -e "$REDIS_TESTS/src/$b" ] || ln -sf "$(command -v $b)" "$REDIS_TESTS/src/$b"
done
MOON_REBUILD= "$root/bin/moon-server" --help >/dev/null 2>&1 # builds once if needed

port=${PORT:-21111}
extra=(--baseport "${BASEPORT:-21600}" --portcount 64)
[ -z "${SKIPTEST:-}" ] || extra+=(--skiptest "$SKIPTEST")
echo "| unit | ok | err | ignored |"
echo "|---|---|---|---|"
for unit in "${units[@]}"; do
  port=$((port + 1))
  log="$out/$(echo "$unit" | tr '/' '_').log"
  data=$(mktemp -d)
  "$root/bin/moon-server" --port $port --dir "$data" --shards "$shards" > "$log.node" 2>&1 &
  node=$!
  for _ in $(seq 1 100); do redis-cli -p $port ping >/dev/null 2>&1 && break; sleep 0.1; done
  (cd "$REDIS_TESTS" && timeout 900 ./runtest --host 127.0.0.1 --port $port --single "$unit" \
      --tags "$tags" --ignore-encoding --ignore-digest --timeout 120 "${extra[@]}" > "$log" 2>&1)
  kill $node 2>/dev/null; wait $node 2>/dev/null; rm -rf "$data"
  clean=$(sed 's/\x1b\[[0-9;]*m//g' "$log")
  ok=$(grep -c '^\[ok\]' <<<"$clean")
  err=$(grep -cE '^\[(err|exception)\]' <<<"$clean")
  ign=$(grep -c '^\[ignore\]' <<<"$clean")
  if grep -q 'exception\]\|Killing\|I/O error\|ERR.*not found\|child process exited abnormally' <<<"$clean" && [ "$err" = 0 ]; then err="1 (aborted)"; fi
  echo "| $unit | $ok | $err | $ign |"
done
