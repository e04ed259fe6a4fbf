#!/bin/sh
# Reproduces the CISI table of docs/evaluation.md: Dyad's default ranking and SQLite FTS5 (bm25,
# porter tokenizer) on all 76 judged CISI queries (query = the .W text, top 1000), every run
# scored by dyad-eval, checked against the measures' definitions, and compared.
#
# Usage: bench/relevance/run.sh [WORK_DIR]
#   BUILD=build (default: the repository's build/) holds dyad-index and dyad-eval;
#   DYAD_SHARED_DIR (default: ../shared next to the repository) holds corpora/cisi.
# WORK_DIR (default: a new temporary folder) receives the index, the runs and the scores.
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$ROOT/build}
SHARED=${DYAD_SHARED_DIR:-$ROOT/../shared}
CISI=$SHARED/corpora/cisi
WORK=${1:-$(mktemp -d "${TMPDIR:-/tmp}/dyad-relevance-XXXXXX")}
INDEX_BIN=$BUILD/indexer/dyad-index
EVAL_BIN=$BUILD/clients/dyad-eval
HERE=$ROOT/bench/relevance

for f in "$INDEX_BIN" "$EVAL_BIN"; do
  [ -x "$f" ] || { echo "run.sh: $f not found; build first (cmake --build build -j2)" >&2; exit 1; }
done
[ -f "$CISI/CISI.ALL" ] || { echo "run.sh: no CISI collection in $CISI" >&2; exit 1; }
mkdir -p "$WORK"
echo "run.sh: working in $WORK" >&2

# Dyad: a fresh index of CISI.ALL, every CISI.QRY topic searched in-process.
rm -rf "$WORK/cisi.idx"
"$INDEX_BIN" build "$CISI/CISI.ALL" --index "$WORK/cisi.idx" --quiet >/dev/null
"$EVAL_BIN" run --topics "$CISI/CISI.QRY" --index "$WORK/cisi.idx" --out "$WORK/dyad-default.run" \
  --tag dyad-default --depth 1000 --quiet >&2

# The peer: FTS5 over the same documents and queries; and FTS5 with Dyad's query stop words.
python3 "$HERE/fts5_run.py" "$CISI/CISI.ALL" "$CISI/CISI.QRY" "$WORK/fts5.run" \
  --tag fts5-bm25-porter
python3 "$HERE/fts5_run.py" "$CISI/CISI.ALL" "$CISI/CISI.QRY" "$WORK/fts5-stopwords.run" \
  --tag fts5-bm25-porter-stopwords --stopwords "$ROOT/corpus/data/stopwords/en.txt"

printf '\n| run | topics | MAP | P@10 | nDCG@10 |\n| --- | --- | --- | --- | --- |\n'
for run in dyad-default fts5 fts5-stopwords; do
  "$EVAL_BIN" score "$CISI/CISI.REL" "$WORK/$run.run" -m num_q -m map -m P.10 -m ndcg_cut.10 \
    > "$WORK/$run.scores"
  "$EVAL_BIN" score "$CISI/CISI.REL" "$WORK/$run.run" -m map -m P.10 -m ndcg_cut.10 \
    --format json > "$WORK/$run.json"
  # Independent check of every per-topic value against the definitions.
  python3 "$HERE/check_scores.py" "$CISI/CISI.REL" "$WORK/$run.run" "$WORK/$run.json" >&2
  awk -v run="$run" '{v[$1] = $3} END {printf "| %s | %d | %s | %s | %s |\n", run, v["num_q"],
    v["map"], v["P_10"], v["ndcg_cut_10"]}' "$WORK/$run.scores"
done

echo
echo "dyad-eval compare (A = FTS5, B = Dyad default):"
"$EVAL_BIN" compare "$CISI/CISI.REL" "$WORK/fts5.run" "$WORK/dyad-default.run" \
  -m map -m P.10 -m ndcg_cut.10 --no-topics
