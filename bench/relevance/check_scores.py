#!/usr/bin/env python3
"""Checks dyad-eval's scores of a run against an independent computation from the definitions.

Computes average precision, P@10 and nDCG@10 for every topic in both the qrels and the run,
straight from their textbook definitions with trec_eval's conventions (documents ranked by
score descending, ties by docno descending; AP divided by all relevant documents; nDCG gain =
relevance value, discount log2(rank + 1), ideal ranking of all judged documents), and compares
them with the per-topic values in `dyad-eval score --format json -m map -m P.10 -m ndcg_cut.10`
output. Exits 1 if any value differs by more than 1e-9.

Qrels: TREC (`qid iter docno rel`) or SMART .REL (`qid docno x y`: every pair relevant).

Usage: check_scores.py QRELS RUN DYAD_EVAL_JSON
"""

import json
import math
import sys
from collections import defaultdict


def read_qrels(path):
    qrels = defaultdict(dict)
    with open(path) as f:
        for line in f:
            parts = line.split()
            if not parts or parts[0].startswith("#"):
                continue
            if len(parts) == 4 and "." not in parts[3]:
                qid, _, docno, rel = parts
                qrels[qid][docno] = int(rel)
            else:  # SMART: qid docno x y
                qrels[parts[0]][parts[1]] = 1
    return qrels


def read_run(path):
    run = defaultdict(list)
    with open(path) as f:
        for line in f:
            parts = line.split()
            if not parts or parts[0].startswith("#"):
                continue
            run[parts[0]].append((float(parts[4]), parts[2]))
    for qid in run:  # Score descending, then docno descending (trec_eval's order).
        run[qid].sort(key=lambda sd: (sd[0], sd[1]), reverse=True)
    return run


def measures(judged, ranking):
    rels = [judged.get(docno, 0) for _, docno in ranking]
    num_rel = sum(1 for r in judged.values() if r >= 1)
    hits, ap = 0, 0.0
    for i, r in enumerate(rels, 1):
        if r >= 1:
            hits += 1
            ap += hits / i
    ap = ap / num_rel if num_rel else 0.0
    p10 = sum(1 for r in rels[:10] if r >= 1) / 10
    dcg = sum(max(r, 0) / math.log2(i + 1) for i, r in enumerate(rels[:10], 1))
    ideal = sorted((r for r in judged.values() if r > 0), reverse=True)[:10]
    idcg = sum(g / math.log2(i + 1) for i, g in enumerate(ideal, 1))
    return {"map": ap, "P_10": p10, "ndcg_cut_10": dcg / idcg if idcg else 0.0}


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    qrels = read_qrels(sys.argv[1])
    run = read_run(sys.argv[2])
    with open(sys.argv[3]) as f:
        report = json.load(f)
    dyad = {t["qid"]: {v["measure"]: v.get("value", 0.0) for v in t["values"]}
            for t in report["topics"]}
    topics = sorted(q for q in qrels if q in run)
    mismatches = 0
    sums = defaultdict(float)
    for qid in topics:
        ours = measures(qrels[qid], run[qid])
        for name, value in ours.items():
            sums[name] += value
            theirs = dyad.get(qid, {}).get(name)
            if theirs is None or abs(theirs - value) > 1e-9:
                mismatches += 1
                print(f"topic {qid} {name}: definition {value:.6f}, dyad-eval {theirs}")
    means = " ".join(f"{n} {sums[n] / len(topics):.4f}" for n in ("map", "P_10", "ndcg_cut_10"))
    verdict = "agree" if mismatches == 0 else f"DISAGREE on {mismatches} values"
    print(f"check_scores.py: {len(topics)} topics, {means}; dyad-eval and the definitions {verdict}")
    sys.exit(1 if mismatches else 0)


if __name__ == "__main__":
    main()
