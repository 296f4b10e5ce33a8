#!/usr/bin/env python3
"""Writes COPIES re-keyed copies of a documents JSONL (plain or gzip) to standard output:
copy k of a document with id X gets the id "X#k" (k >= 1; copy 0 keeps X). Used to make
a large ledger from a real corpus for the serve and scale benchmarks (BENCHMARKS.md).

Usage: make-rekeyed.py INPUT COPIES > OUT.jsonl
"""
import gzip
import json
import sys


def main():
    src, copies = sys.argv[1], int(sys.argv[2])
    opener = gzip.open if src.endswith(".gz") else open
    out = sys.stdout
    for k in range(copies):
        with opener(src, "rt", encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                d = json.loads(line)
                if k:
                    d["id"] = f"{d['id']}#{k}"
                out.write(json.dumps(d, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
