#!/usr/bin/env bash
# Indexing throughput of dyad-index against Xapian's scriptindex and SQLite FTS5, in one run on
# this machine (docs/indexing.md has the figures and how to read them).
#
#   bench/index_throughput.sh [--scale N]... [--shards N] [--peers-at-scale] [--skip-reuters]
#                             [--keep]
#
# 1. Full Reuters-21578 (21,578 articles, ../shared/corpora/reuters21578 or $REUTERS):
#    - dyad-index build reut2-*.sgm (enrichment on, --shards N, default: one per core);
#    - scriptindex (xapian-omega, installed if missing) with an index script giving the same
#      fields: id as unique boolean term, title with prefix S and unprefixed (wdf 5), body
#      unprefixed, all with positions and English stemming (STEM_SOME, as Dyad), date as a
#      sortable value, source as a boolean term, id/title/body stored as document data;
#    - SQLite FTS5 (python3's sqlite3) over id, title, body with the porter tokenizer and
#      positions (detail=full), no journal, no fsync.
#    The peers' inputs are converted by build/bench/corpus_export beforehand (not timed).
# 2. For each --scale N: a synthetic corpus of N articles made from Reuters (new ids, sentences of
#    each paragraph shuffled; JSON Lines, written beforehand, not timed), indexed by dyad-index
#    (and by the peers with --peers-at-scale).
# Prints wall time, articles/s, the ratio to scriptindex, peak memory (/usr/bin/time -v) and
# index size. The machine may be shared: every tool of a table runs in the same invocation, one
# after the other; compare ratios rather than absolute times across runs.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${DYAD_BUILD:-$root/build}
reuters=${REUTERS:-$root/../shared/corpora/reuters21578}
shards=$(nproc 2>/dev/null || echo 2)
scales=()
peers_at_scale=0
keep=0
skip_reuters=0
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) scales+=("$2"); shift 2 ;;
    --shards) shards=$2; shift 2 ;;
    --peers-at-scale) peers_at_scale=1; shift ;;
    --keep) keep=1; shift ;;
    --skip-reuters) skip_reuters=1; shift ;;
    *) echo "usage: $0 [--scale N]... [--shards N] [--peers-at-scale] [--skip-reuters] [--keep]" >&2
       exit 2 ;;
  esac
done

if ! command -v scriptindex >/dev/null 2>&1; then
  echo "== installing xapian-omega (scriptindex)"
  sudo=()
  [ "$(id -u)" -ne 0 ] && sudo=(sudo)
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq xapian-omega >/dev/null
fi
for tool in python3 /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "$0: $tool is needed" >&2; exit 1; }
done
echo "== building dyad-index and corpus_export (Release) in $build"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" --target dyad-index corpus_export -j2 >/dev/null
dyad_index=$build/indexer/dyad-index
export_corpus=$build/bench/corpus_export

work=$(mktemp -d "${TMPDIR:-/tmp}/dyad-index-bench-XXXXXX")
if [ "$keep" -eq 0 ]; then trap 'rm -rf "$work"' EXIT; else echo "== keeping $work"; fi

cat >"$work/reuters.script" <<'SCRIPT'
id : field=id boolean=Q unique=Q
title : field=title weight=5 index=S index
body : field=body index
date : valuenumeric=0
source : boolean=XSRC
SCRIPT

cat >"$work/fts5.py" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("PRAGMA journal_mode=OFF")
db.execute("PRAGMA synchronous=OFF")
db.execute("CREATE VIRTUAL TABLE articles USING fts5(id UNINDEXED, title, body,"
           " tokenize='porter unicode61')")
with open(sys.argv[2], encoding="utf-8") as f:
    db.executemany("INSERT INTO articles VALUES (?, ?, ?)",
                   (line.rstrip("\n").split("\t", 2) for line in f))
db.commit()
db.close()
PY

# run LABEL ARTICLES OUTPUT COMMAND...: times COMMAND, prints one row.
scriptindex_rate=""
run() {
  local label=$1 articles=$2 output=$3
  shift 3
  rm -rf "$output"
  if ! /usr/bin/time -v -o "$work/time.txt" "$@" >"$work/out.txt" 2>"$work/err.txt"; then
    echo "$label failed:" >&2
    cat "$work/err.txt" >&2
    exit 1
  fi
  local wall kb cpu bytes
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0;
                      for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$work/time.txt")
  cpu=$(awk -F': ' '/User time/ {u = $2} /System time/ {s = $2} END {print u + s}' "$work/time.txt")
  kb=$(awk -F': ' '/Maximum resident/ {print $2}' "$work/time.txt")
  bytes=$(du -sb "$output" | cut -f1)
  local rate
  rate=$(awk -v n="$articles" -v s="$wall" 'BEGIN {printf "%.0f", n / s}')
  local ratio="-"
  if [ "$label" = "scriptindex" ]; then scriptindex_rate=$rate; fi
  if [ -n "$scriptindex_rate" ]; then
    ratio=$(awk -v a="$rate" -v b="$scriptindex_rate" 'BEGIN {printf "%.2fx", a / b}')
  fi
  printf "%-22s %9d %9.2f %9.2f %10s %10s %10.0f %10.1f\n" "$label" "$articles" "$wall" "$cpu" \
    "$rate" "$ratio" "$((kb / 1024))" "$(awk -v b="$bytes" 'BEGIN {print b / 1048576}')"
}
header() {
  echo
  echo "== $1 (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
  printf "%-22s %9s %9s %9s %10s %10s %10s %10s\n" tool articles wall_s cpu_s articles/s \
    vs_script peak_MB index_MB
}

files=("$reuters"/reut2-0*.sgm)
[ ${#files[@]} -eq 22 ] || { echo "$0: expected 22 reut2-*.sgm files in $reuters" >&2; exit 1; }
echo "== converting Reuters-21578 for the peers (not timed)"
"$export_corpus" "${files[@]}" --scriptindex "$work/reuters.si" --text "$work/reuters.tsv" 2>/dev/null
articles=$(wc -l <"$work/reuters.tsv")

if [ "$skip_reuters" -eq 0 ]; then
header "Reuters-21578, $articles articles, dyad-index with $shards shards"
run scriptindex "$articles" "$work/si.db" scriptindex "$work/si.db" "$work/reuters.script" \
  "$work/reuters.si"
run "dyad-index" "$articles" "$work/dyad.idx" "$dyad_index" build "${files[@]}" \
  --index "$work/dyad.idx" --shards "$shards" --quiet
run "dyad-index --shards 1" "$articles" "$work/dyad1.idx" "$dyad_index" build "${files[@]}" \
  --index "$work/dyad1.idx" --shards 1 --quiet
run "sqlite fts5" "$articles" "$work/fts5.db" python3 "$work/fts5.py" "$work/fts5.db" \
  "$work/reuters.tsv"
rm -rf "$work/si.db" "$work/dyad.idx" "$work/dyad1.idx" "$work/fts5.db"
fi

for n in "${scales[@]}"; do
  echo
  echo "== writing a synthetic corpus of $n articles (not timed)"
  peer_inputs=()
  if [ "$peers_at_scale" -eq 1 ]; then
    peer_inputs=(--scriptindex "$work/syn.si" --text "$work/syn.tsv")
  fi
  "$export_corpus" "${files[@]}" --articles "$n" --jsonl-dir "$work/syn.jsonl" "${peer_inputs[@]}" \
    2>/dev/null
  header "synthetic, $n articles, dyad-index with $shards shards"
  scriptindex_rate=""
  if [ "$peers_at_scale" -eq 1 ]; then
    run scriptindex "$n" "$work/si.db" scriptindex "$work/si.db" "$work/reuters.script" \
      "$work/syn.si"
  fi
  run "dyad-index" "$n" "$work/dyad.idx" "$dyad_index" build "$work/syn.jsonl" \
    --index "$work/dyad.idx" --shards "$shards" --quiet
  if [ "$peers_at_scale" -eq 1 ]; then
    run "sqlite fts5" "$n" "$work/fts5.db" python3 "$work/fts5.py" "$work/fts5.db" "$work/syn.tsv"
  fi
  rm -rf "$work/si.db" "$work/dyad.idx" "$work/fts5.db" "$work/syn."*
done
