#!/bin/sh
# Reproduces the Reuters tables of docs/relevance.md: Dyad's judged world-affairs queries
# (bench/relevance/reuters_topics.tsv, turned into reuters-dev.topics and reuters-dev.qrels by
# reuters_judged.py) on the Reuters-21578 development files reut2-000.sgm .. reut2-010.sgm
# (11,000 articles; the test split reut2-011 .. reut2-021 is never read). Every configuration of
# corpus/data/rankings.textproto is run to depth 1000, scored by dyad-eval, checked against the
# measures' definitions, and the default is compared with plain BM25 and with each addition.
#
# Usage: bench/relevance/reuters_run.sh [WORK_DIR]
#   BUILD=build (default: the repository's build/) holds dyad-index and dyad-eval;
#   DYAD_SHARED_DIR (default: ../shared next to the repository) holds corpora/reuters21578;
#   RANKINGS="bm25 default" runs only those configurations (default: all of them);
#   COMPARE="A:B ..." pairs of runs to compare (default: bm25:default and default against
#   default-dyad);
#   DYAD_DATA_DIR, as for every Dyad tool, may supply other data files (rankings, countries).
# Takes about a minute per configuration on two shared cores, most of it making snippets.
set -eu

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$ROOT/build}
SHARED=${DYAD_SHARED_DIR:-$ROOT/../shared}
REUTERS=$SHARED/corpora/reuters21578
WORK=${1:-$(mktemp -d "${TMPDIR:-/tmp}/dyad-reuters-XXXXXX")}
INDEX_BIN=$BUILD/indexer/dyad-index
EVAL_BIN=$BUILD/clients/dyad-eval
HERE=$ROOT/bench/relevance
CATALOG=${DYAD_DATA_DIR:-$ROOT/corpus/data}/rankings.textproto
[ -f "$CATALOG" ] || CATALOG=$ROOT/corpus/data/rankings.textproto
RANKINGS=${RANKINGS:-$(sed -n 's/^ *name: "\([^"]*\)".*/\1/p' "$CATALOG")}
COMPARE=${COMPARE:-bm25:default default:default-dyad}

for f in "$INDEX_BIN" "$EVAL_BIN"; do
  [ -x "$f" ] || { echo "reuters_run.sh: $f not found; build first" >&2; exit 1; }
done
[ -f "$REUTERS/reut2-000.sgm" ] || { echo "reuters_run.sh: no Reuters-21578 in $REUTERS" >&2; exit 1; }
mkdir -p "$WORK"
echo "reuters_run.sh: working in $WORK" >&2

# The committed topics and judgements must be what the rule gives.
python3 "$HERE/reuters_judged.py" "$REUTERS" "$WORK" >/dev/null
cmp -s "$WORK/reuters-dev.qrels" "$HERE/reuters-dev.qrels" &&
  cmp -s "$WORK/reuters-dev.topics" "$HERE/reuters-dev.topics" || {
  echo "reuters_run.sh: reuters-dev.* differ from reuters_judged.py's output; regenerate" >&2
  exit 1
}
TOPICS=$HERE/reuters-dev.topics
QRELS=$HERE/reuters-dev.qrels

rm -rf "$WORK/reuters.idx"
files=""
for i in 000 001 002 003 004 005 006 007 008 009 010; do files="$files $REUTERS/reut2-$i.sgm"; done
# shellcheck disable=SC2086
"$INDEX_BIN" build $files --index "$WORK/reuters.idx" --quiet >/dev/null

printf '\n| run | topics | MAP | P@10 | nDCG@10 |\n| --- | --- | --- | --- | --- |\n'
for ranking in $RANKINGS; do
  run=dyad-$ranking
  "$EVAL_BIN" run --topics "$TOPICS" --index "$WORK/reuters.idx" --ranking "$ranking" \
    --out "$WORK/$run.run" --tag "$run" --depth 1000 --quiet >&2
  "$EVAL_BIN" score "$QRELS" "$WORK/$run.run" -m num_q -m map -m P.10 -m ndcg_cut.10 \
    > "$WORK/$run.scores"
  "$EVAL_BIN" score "$QRELS" "$WORK/$run.run" -m map -m P.10 -m ndcg_cut.10 \
    --format json > "$WORK/$run.json"
  python3 "$HERE/check_scores.py" "$QRELS" "$WORK/$run.run" "$WORK/$run.json" >&2
  awk -v run="$ranking" '{v[$1] = $3} END {printf "| %s | %d | %s | %s | %s |\n", run,
    v["num_q"], v["map"], v["P_10"], v["ndcg_cut_10"]}' "$WORK/$run.scores"
done

for pair in $COMPARE; do
  a=dyad-${pair%%:*}
  b=dyad-${pair#*:}
  if [ -f "$WORK/$a.run" ] && [ -f "$WORK/$b.run" ]; then
    echo
    echo "dyad-eval compare (A = $a, B = $b):"
    "$EVAL_BIN" compare "$QRELS" "$WORK/$a.run" "$WORK/$b.run" -m map -m P.10 -m ndcg_cut.10 \
      --no-topics
  fi
done
