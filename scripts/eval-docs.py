#!/usr/bin/env python3
"""Writes the documents of a gold file whose texts live in ../shared/corpus.

  eval-docs.py --gold eval/en/gold.jsonl --out DOCS.jsonl [--shared ../shared]

The repository keeps only its own annotations of real articles (eval/en/gold.jsonl);
their texts are read from the shared corpora at scoring time, so no article is copied
into the repository. Fails when a gold document is in no corpus, or is reserved.
"""
import argparse
import gzip
import json
import os
import sys


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared"))
    a = ap.parse_args()
    want = [json.loads(l)["doc_id"] for l in open(a.gold, encoding="utf-8") if l.strip()]
    reserved = {l.strip() for l in open(os.path.join(a.shared, "eval", "reserved.txt"), encoding="utf-8")
                if l.strip() and not l.startswith("#")}
    bad = [d for d in want if d in reserved]
    if bad:
        sys.exit(f"eval-docs: reserved documents in {a.gold}: {bad}")
    found = {}
    for name in ("news-en.jsonl", "wh-briefings.jsonl.gz"):
        path = os.path.join(a.shared, "corpus", name)
        opener = gzip.open if name.endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8") as f:
            for line in f:
                d = json.loads(line)
                if d["id"] in want:
                    if d["id"].startswith("wh/") and d.get("published", "") >= "2023":
                        sys.exit(f"eval-docs: {d['id']} is a White House document of 2023 or later (held out)")
                    found[d["id"]] = line
    missing = [d for d in want if d not in found]
    if missing:
        sys.exit(f"eval-docs: not in ../shared/corpus: {missing}")
    with open(a.out, "w", encoding="utf-8") as out:
        for d in want:
            out.write(found[d] if found[d].endswith("\n") else found[d] + "\n")


if __name__ == "__main__":
    main()
