#!/usr/bin/env python3
"""A peer for Dyad's relevance figures: SQLite FTS5 with bm25() and the porter tokenizer.

Indexes a SMART collection (CISI.ALL: `.I n`, `.T` title, `.A` authors, `.W` abstract, ...)
in an in-memory FTS5 table with one column per field (title, authors, text; FTS5's default
bm25 parameters k1 = 1.2, b = 0.75, every column weighted 1), runs every query of a SMART
query file (`.W` text) as an OR of its words, each quoted so no word is read as FTS5 syntax,
and writes the top DEPTH documents per query as a TREC run (`qid Q0 docno rank score tag`,
score = -bm25, so higher is better). A word that occurs several times in the query is repeated
in the OR, as written, and FTS5's bm25() counts it once per occurrence (a query-term frequency);
--unique-words joins each word once instead. The repeated form reproduces issue 7's reference
figures (MAP 0.209, P@10 0.336, nDCG@10 0.364).

With --stopwords FILE (one word a line, '#' comments; Dyad's is corpus/data/stopwords/en.txt)
those words are dropped from queries (FTS5 itself has no stop words).

Only the Python standard library is used (sqlite3 has FTS5 on Debian).

Usage: fts5_run.py DOCS.ALL QUERIES.QRY RUN [--tag fts5-bm25-porter] [--depth 1000]
                   [--stopwords FILE] [--unique-words]
"""

import argparse
import re
import sqlite3
import sys


def read_smart(path):
    """Yields (id, {letter: text}) for each `.I` record, fields' lines joined by spaces."""
    record_id, fields, letter = None, {}, None
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            marker = re.match(r"^\.([A-Z])(?:\s+(.*))?$", line)
            if marker:
                if marker.group(1) == "I":
                    if record_id is not None:
                        yield record_id, fields
                    record_id, fields, letter = marker.group(2).strip(), {}, None
                else:
                    letter = marker.group(1)
                    fields.setdefault(letter, [])
                    if marker.group(2):
                        fields[letter].append(marker.group(2))
                continue
            if letter is not None:
                fields[letter].append(line)
    if record_id is not None:
        yield record_id, fields


def joined(fields, letter):
    return " ".join(" ".join(fields.get(letter, [])).split())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("docs")
    parser.add_argument("queries")
    parser.add_argument("run")
    parser.add_argument("--tag", default="fts5-bm25-porter")
    parser.add_argument("--depth", type=int, default=1000)
    parser.add_argument("--stopwords")
    parser.add_argument("--unique-words", action="store_true")
    args = parser.parse_args()
    stopwords = set()
    if args.stopwords:
        with open(args.stopwords, encoding="utf-8") as f:
            stopwords = {w.strip() for w in f if w.strip() and not w.startswith("#")}

    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(docno UNINDEXED, title, authors, text,"
               " tokenize = 'porter unicode61')")
    count = 0
    for docno, fields in read_smart(args.docs):
        db.execute("INSERT INTO docs VALUES (?, ?, ?, ?)",
                   (docno, joined(fields, "T"), "; ".join(fields.get("A", [])), joined(fields, "W")))
        count += 1

    lines = 0
    topics = 0
    with open(args.run, "w", encoding="utf-8") as out:
        for qid, fields in read_smart(args.queries):
            words = [w for w in re.findall(r"[^\W_]+", joined(fields, "W").lower())
                     if w not in stopwords]
            if not words:
                print(f"fts5_run.py: query {qid} has no words; left out", file=sys.stderr)
                continue
            if args.unique_words:
                words = list(dict.fromkeys(words))
            match = " OR ".join('"' + w + '"' for w in words)
            rows = db.execute("SELECT docno, bm25(docs) FROM docs WHERE docs MATCH ?"
                              " ORDER BY bm25(docs), docno LIMIT ?", (match, args.depth))
            topics += 1
            for rank, (docno, score) in enumerate(rows, 1):
                out.write(f"{qid} Q0 {docno} {rank} {-score:.6f} {args.tag}\n")
                lines += 1
    print(f"fts5_run.py: {count} documents, {topics} queries, {lines} lines in {args.run}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
