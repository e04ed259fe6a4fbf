#!/usr/bin/env python3
"""A reference run of plain Xapian: scriptindex and quest (xapian-omega, xapian-tools) with their
defaults, as an outside check of Dyad's `bm25` configuration.

Indexes a SMART collection (CISI.ALL) with scriptindex, one document per `.I` record, the title
(`.T`), authors (`.A`) and abstract (`.W`) each indexed as free text (`index`: English stemming,
STEM_SOME, positions, no prefixes, no stop words), then runs every query of a SMART query file
through `quest -w bm25` (BM25Weight defaults k1 = 1, k2 = 0, k3 = 1, b = 0.5; QueryParser with the
English stemmer and default operator OR). Query text is lower-cased and reduced to its words
first, so nothing in it is read as query syntax. Writes the top DEPTH documents per query as a
TREC run (`qid Q0 docno rank score tag`).

Usage: xapian_run.py DOCS.ALL QUERIES.QRY RUN WORK_DIR [--tag xapian-bm25] [--depth 1000]
"""

import argparse
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fts5_run import joined, read_smart  # noqa: E402


def value_lines(name, text):
    """scriptindex input: name=first line, then one '=line' per further line."""
    lines = text.split("\n") or [""]
    return [f"{name}={lines[0]}"] + [f"={line}" for line in lines[1:]]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("docs")
    parser.add_argument("queries")
    parser.add_argument("run")
    parser.add_argument("work")
    parser.add_argument("--tag", default="xapian-bm25")
    parser.add_argument("--depth", type=int, default=1000)
    args = parser.parse_args()
    for tool in ("scriptindex", "quest"):
        if shutil.which(tool) is None:
            sys.exit(f"xapian_run.py: {tool} not found (apt-get install xapian-omega xapian-tools)")

    os.makedirs(args.work, exist_ok=True)
    script = os.path.join(args.work, "cisi.script")
    dump = os.path.join(args.work, "cisi.scriptindex")
    db = os.path.join(args.work, "xapian.db")
    with open(script, "w") as f:
        f.write("docno : field boolean=Q unique=Q\ntitle : index\nauthors : index\ntext : index\n")
    with open(dump, "w", encoding="utf-8") as f:
        for docno, fields in read_smart(args.docs):
            record = value_lines("docno", docno)
            record += value_lines("title", joined(fields, "T"))
            record += value_lines("authors", "; ".join(fields.get("A", [])))
            record += value_lines("text", joined(fields, "W"))
            f.write("\n".join(record) + "\n\n")
    shutil.rmtree(db, ignore_errors=True)
    subprocess.run(["scriptindex", db, script, dump], check=True, stdout=subprocess.DEVNULL)

    topics = lines = 0
    with open(args.run, "w", encoding="utf-8") as out:
        for qid, fields in read_smart(args.queries):
            words = re.findall(r"[^\W_]+", joined(fields, "W").lower())
            if not words:
                continue
            result = subprocess.run(["quest", "-d", db, "-w", "bm25", "-m", str(args.depth),
                                     " ".join(words)], check=True, capture_output=True, text=True)
            topics += 1
            rank = 0
            score = None
            for line in result.stdout.splitlines():
                hit = re.match(r"^\d+: \[([^\]]+)\]$", line)
                if hit:
                    score = hit.group(1)
                elif line.startswith("docno=") and score is not None:
                    rank += 1
                    out.write(f"{qid} Q0 {line[6:]} {rank} {score} {args.tag}\n")
                    lines += 1
                    score = None
    print(f"xapian_run.py: {topics} queries, {lines} lines in {args.run}", file=sys.stderr)


if __name__ == "__main__":
    main()
