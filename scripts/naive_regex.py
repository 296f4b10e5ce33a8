#!/usr/bin/env python3
"""A naive regex pass over a documents JSONL file, as a speed baseline for `aidledger extract`.

  naive_regex.py FILE.jsonl[.gz]

Standard library only, one thread. For each document ("text" of each JSONL line): split
it into sentences with one regular expression, and count the sentences that hold a dollar
amount ("$425 million", "$1.2 billion", "61 milliards de dollars") and name Ukraine
together with "assistance" or "aid" ("aide" in French). Gzip input is decoded on the fly
(by name or by its magic bytes), as the CLI does.

Prints one line: documents, uncompressed bytes, sentences, matching sentences. It is what
scripts/bench.sh compares the extractor with: not an extractor (no status, donor, items,
dates, evidence), just the cheapest pass that finds candidate sentences.
"""
import gzip
import json
import re
import sys

# a sentence ends at . ! ? (and closing quotes) before white space, or at a blank line
SENTENCE_END = re.compile(r'(?<=[.!?])["\u201d\u00bb)]*\s+|\n\s*\n')
DOLLARS = re.compile(
    r'\$\s?\d[\d,.]*(?:\s*(?:million|billion|trillion|mn|bn|[mb])\b)?'
    r'|\b\d[\d,.\s]*(?:millions?|milliards?|billions?)?\s*(?:de\s+)?dollars\b',
    re.IGNORECASE,
)
UKRAINE = re.compile(r'\bUkraine\b', re.IGNORECASE)
AID = re.compile(r'\b(?:assistance|aid|aide)\b', re.IGNORECASE)


def open_input(path):
    with open(path, 'rb') as f:
        magic = f.read(2)
    if path.endswith('.gz') or magic == b'\x1f\x8b':
        return gzip.open(path, 'rb')
    return open(path, 'rb')


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    docs = nbytes = sentences = hits = 0
    with open_input(sys.argv[1]) as f:
        for line in f:
            nbytes += len(line)
            if not line.strip():
                continue
            try:
                text = json.loads(line).get('text') or ''
            except (ValueError, AttributeError):
                continue
            docs += 1
            for s in SENTENCE_END.split(text):
                sentences += 1
                if DOLLARS.search(s) and UKRAINE.search(s) and AID.search(s):
                    hits += 1
    print(f'documents={docs} bytes={nbytes} sentences={sentences} matching={hits}')


if __name__ == '__main__':
    main()
