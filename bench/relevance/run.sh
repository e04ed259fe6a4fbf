#!/bin/sh
# Reproduces the CISI tables of docs/relevance.md: every ranking configuration of
# corpus/data/rankings.textproto (the plain BM25 baseline, one configuration per addition, the
# default), and the peers SQLite FTS5 (bm25, porter tokenizer) and plain Xapian (scriptindex and
# quest, BM25 defaults), on all 76 judged CISI queries (query = the .W text, top 1000). Every run
# is scored by dyad-eval, each per-topic value is checked against the measures' definitions, and
# dyad-eval compare tests the default against plain BM25 and against FTS5.
#
# Usage: bench/relevance/run.sh [WORK_DIR]
#   BUILD=build (default: the repository's build/) holds dyad-index and dyad-eval;
#   DYAD_SHARED_DIR (default: ../shared next to the repository) holds corpora/cisi;
#   RANKINGS="bm25 default" runs only those configurations (default: all of them);
#   PEERS=0 skips FTS5 and Xapian.
# WORK_DIR (default: a new temporary folder) receives the index, the runs and the scores.
# Takes several minutes on two shared cores: most of a Dyad run is making snippets.
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$ROOT/build}
SHARED=${DYAD_SHARED_DIR:-$ROOT/../shared}
CISI=$SHARED/corpora/cisi
WORK=${1:-$(mktemp -d "${TMPDIR:-/tmp}/dyad-relevance-XXXXXX")}
INDEX_BIN=$BUILD/indexer/dyad-index
EVAL_BIN=$BUILD/clients/dyad-eval
HERE=$ROOT/bench/relevance
RANKINGS=${RANKINGS:-$(sed -n 's/^ *name: "\([^"]*\)".*/\1/p' "$ROOT/corpus/data/rankings.textproto")}
PEERS=${PEERS:-1}

for f in "$INDEX_BIN" "$EVAL_BIN"; do
  [ -x "$f" ] || { echo "run.sh: $f not found; build first (cmake --build build -j2)" >&2; exit 1; }
done
[ -f "$CISI/CISI.ALL" ] || { echo "run.sh: no CISI collection in $CISI" >&2; exit 1; }
mkdir -p "$WORK"
echo "run.sh: working in $WORK" >&2

# Dyad: a fresh index of CISI.ALL, every CISI.QRY topic searched in-process, once per ranking.
rm -rf "$WORK/cisi.idx"
"$INDEX_BIN" build "$CISI/CISI.ALL" --index "$WORK/cisi.idx" --quiet >/dev/null
runs=""
for ranking in $RANKINGS; do
  echo "run.sh: dyad --ranking $ranking" >&2
  "$EVAL_BIN" run --topics "$CISI/CISI.QRY" --index "$WORK/cisi.idx" --ranking "$ranking" \
    --out "$WORK/dyad-$ranking.run" --tag "dyad-$ranking" --depth 1000 --quiet >&2
  runs="$runs dyad-$ranking"
done

if [ "$PEERS" != 0 ]; then
  # FTS5 with the query's words as written (repeats count, as in issue 7's reference), with
  # each word once, and Xapian's own tools with their defaults.
  python3 "$HERE/fts5_run.py" "$CISI/CISI.ALL" "$CISI/CISI.QRY" "$WORK/fts5.run" \
    --tag fts5-bm25-porter
  python3 "$HERE/fts5_run.py" "$CISI/CISI.ALL" "$CISI/CISI.QRY" "$WORK/fts5-unique.run" \
    --tag fts5-bm25-porter-unique --unique-words
  runs="$runs fts5 fts5-unique"
  if command -v scriptindex >/dev/null 2>&1 && command -v quest >/dev/null 2>&1; then
    python3 "$HERE/xapian_run.py" "$CISI/CISI.ALL" "$CISI/CISI.QRY" "$WORK/xapian.run" \
      "$WORK/xapian"
    runs="$runs xapian"
  else
    echo "run.sh: scriptindex or quest missing (xapian-omega, xapian-tools); no Xapian run" >&2
  fi
fi

printf '\n| run | topics | MAP | P@10 | nDCG@10 |\n| --- | --- | --- | --- | --- |\n'
for run in $runs; do
  "$EVAL_BIN" score "$CISI/CISI.REL" "$WORK/$run.run" -m num_q -m map -m P.10 -m ndcg_cut.10 \
    > "$WORK/$run.scores"
  "$EVAL_BIN" score "$CISI/CISI.REL" "$WORK/$run.run" -m map -m P.10 -m ndcg_cut.10 \
    --format json > "$WORK/$run.json"
  # Independent check of every per-topic value against the definitions.
  python3 "$HERE/check_scores.py" "$CISI/CISI.REL" "$WORK/$run.run" "$WORK/$run.json" >&2
  awk -v run="$run" '{v[$1] = $3} END {printf "| %s | %d | %s | %s | %s |\n", run, v["num_q"],
    v["map"], v["P_10"], v["ndcg_cut_10"]}' "$WORK/$run.scores"
done

compare() {
  if [ -f "$WORK/$1.run" ] && [ -f "$WORK/$2.run" ]; then
    echo
    echo "dyad-eval compare (A = $1, B = $2):"
    "$EVAL_BIN" compare "$CISI/CISI.REL" "$WORK/$1.run" "$WORK/$2.run" \
      -m map -m P.10 -m ndcg_cut.10 --no-topics
  fi
}
compare dyad-bm25 dyad-default
compare fts5 dyad-default
compare xapian dyad-default
