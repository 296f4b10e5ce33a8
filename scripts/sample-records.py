#!/usr/bin/env python3
"""Draws records at random for reading by hand (issue 7: "40 records drawn at random").

  sample-records.py --news NEWS.jsonl --wh WH.jsonl [--n 40] [--seed 20261129]
                    [--reserved ../shared/eval/reserved.txt]

NEWS.jsonl and WH.jsonl are the records `aidledger extract` writes for
../shared/corpus/news-en.jsonl and ../shared/corpus/wh-briefings.jsonl.gz. The pool is every
record of a news article plus every record of a White House document of 2022; reserved
documents (reserved.txt, and White House documents of 2023 on) are never drawn. Prints
each drawn record with its evidence, numbered, for a reader to mark right or wrong: right
means an aid event with donor, stage group, items and value right (docs/accuracy.md).
"""

import argparse
import json
import random
import re


def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--news", required=True)
    ap.add_argument("--wh", required=True)
    ap.add_argument("--n", type=int, default=40)
    ap.add_argument("--seed", type=int, default=20261129)
    ap.add_argument("--reserved", default="../shared/eval/reserved.txt")
    ap.add_argument("--json", action="store_true", help="one drawn record per line, as JSON")
    a = ap.parse_args()

    with open(a.reserved, encoding="utf-8") as f:
        reserved = {l.strip() for l in f if l.strip() and not l.startswith("#")}
    wh_2022 = re.compile(r"^wh/[^/]+/2022-")
    pool = [r for r in load(a.news) if r["doc_id"] not in reserved]
    pool += [r for r in load(a.wh) if wh_2022.match(r["doc_id"]) and r["doc_id"] not in reserved]
    rng = random.Random(a.seed)
    drawn = rng.sample(pool, min(a.n, len(pool)))
    for i, r in enumerate(drawn, 1):
        if a.json:
            print(json.dumps(r, ensure_ascii=False))
            continue
        items = ", ".join(
            f"{it['name']}" + (f" x{it['quantity']}" if it.get("quantity") else "") for it in r["items"]
        )
        v = r.get("value")
        value = f"{v['amount']:,.0f} {v['currency']}" if v else "-"
        print(f"[{i}] {r['doc_id']}")
        print(f"    {r['status']} ({r.get('kind')}) {'+'.join(r['donors'])} -> {r.get('recipient')} | "
              f"{items} | {value} | {r.get('date')} | {r.get('asserted_by')}")
        for e in r["evidence"][:2]:
            print("    > " + e["text"].replace("\n", " ")[:400])
    print(f"# pool {len(pool)} records, seed {a.seed}", flush=True)


if __name__ == "__main__":
    main()
