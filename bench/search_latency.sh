#!/usr/bin/env bash
# Search latency of dyad-searchd against plain Xapian and the engine in process, on one index
# (docs/operations.md has the figures). Builds the index of the bundled corpus (corpus/articles and
# the State of the Union addresses, long documents) unless --index is given, starts dyad-searchd on
# a free loopback port, runs build/bench/search_latency against it, and stops it.
#
#   bench/search_latency.sh [--index DIR] [--rounds N] [--threads N] [search_latency options...]
#
# The machine may be shared: compare the modes of one run (and the cpu_ms column, which load does
# not inflate) rather than absolute times across runs.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${DYAD_BUILD:-$root/build}
index=""
threads=2
rest=()
while [ $# -gt 0 ]; do
  case "$1" in
    --index) index=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    *) rest+=("$1"); shift ;;
  esac
done

echo "== building dyad-index, dyad-searchd and search_latency (Release) in $build"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" --target dyad-index dyad-searchd search_latency -j2 >/dev/null

work=$(mktemp -d "${TMPDIR:-/tmp}/dyad-search-bench-XXXXXX")
daemon=""
cleanup() {
  if [ -n "$daemon" ]; then kill "$daemon" 2>/dev/null || true; wait "$daemon" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

if [ -z "$index" ]; then
  index=$work/index
  echo "== indexing corpus/articles and corpus/sotu (not timed)"
  "$build/indexer/dyad-index" build "$root/corpus/articles" "$root/corpus/sotu" --index "$index" \
    --quiet >/dev/null
fi

"$build/searchd/dyad-searchd" --index "$index" --listen 127.0.0.1:0 --threads "$threads" --quiet \
  >"$work/daemon.out" 2>"$work/daemon.err" &
daemon=$!
address=""
for _ in $(seq 1 100); do
  address=$(sed -n 's/^dyad-searchd: listening on \([^ ]*\) .*/\1/p' "$work/daemon.out")
  [ -n "$address" ] && break
  kill -0 "$daemon" 2>/dev/null || { cat "$work/daemon.err" >&2; exit 1; }
  sleep 0.1
done
[ -n "$address" ] || { echo "$0: dyad-searchd did not start" >&2; exit 1; }

echo "== load average: $(cut -d' ' -f1-3 /proc/loadavg); dyad-searchd on $address, $threads threads"
"$build/bench/search_latency" "$index" --server "$address" "${rest[@]}"
