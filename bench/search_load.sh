#!/usr/bin/env bash
# Query throughput and latency of dyad-searchd over loopback against in-process single-thread
# baselines (plain Xapian and Dyad's QueryService), on the Reuters-21578 index (docs/operations.md,
# "Throughput"). Also prints CPU milliseconds per query: the in-process thread's and the daemon's.
#
#   bench/search_load.sh [--seconds T] [--connections 1,8,32] [--threads N] [--keep]
#
# Builds build/bench-data/reuters-index with dyad-index unless it exists (delete it to rebuild),
# starts dyad-searchd on a free loopback port with --threads N (default: one per core) and --quiet,
# runs build/bench/search_load, stops the daemon. Prints the daemon's RSS before and after.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${DYAD_BUILD:-$root/build}
reuters=${REUTERS:-$root/../shared/corpora/reuters21578}
seconds=10
connections=1,8,32
threads=$(nproc 2>/dev/null || echo 2)
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    *) echo "usage: $0 [--seconds T] [--connections 1,8,32] [--threads N]" >&2; exit 2 ;;
  esac
done
for bin in indexer/dyad-index searchd/dyad-searchd bench/search_load; do
  [ -x "$build/$bin" ] || { echo "missing $build/$bin: build first (scripts/build build)" >&2; exit 1; }
done
index=$build/bench-data/reuters-index
if [ ! -e "$index" ]; then
  [ -d "$reuters" ] || { echo "Reuters-21578 not found at $reuters (set REUTERS=DIR)" >&2; exit 1; }
  echo "== indexing $reuters into $index"
  mkdir -p "$build/bench-data"
  "$build/indexer/dyad-index" build --quiet --index "$index" "$reuters"/reut2-*.sgm >/dev/null
fi
log=$(mktemp)
"$build/searchd/dyad-searchd" --index "$index" --listen 127.0.0.1:0 --threads "$threads" --quiet \
  >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 100); do
  grep -q "listening on" "$log" && break
  sleep 0.1
done
address=$(sed -n 's/^dyad-searchd: listening on \([^ ]*\).*/\1/p' "$log")
[ -n "$address" ] || { cat "$log"; exit 1; }
rss() { awk '/VmRSS/ {print $2 " kB"}' /proc/$pid/status; }
echo "== dyad-searchd on $address, $threads worker threads, RSS $(rss); load average $(cut -d' ' -f1-3 /proc/loadavg)"
"$build/bench/search_load" --index "$index" --server "$address" --seconds "$seconds" \
  --connections "$connections" --daemon-pid "$pid"
echo "== daemon RSS at the end $(rss)"
