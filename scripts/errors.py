#!/usr/bin/env python3
"""Lists every miss and extra of a dev set with the sentences behind it, for error-driven work.

  errors.py --docs DOCS.jsonl --gold GOLD.jsonl --pred PRED.jsonl [--slots]

Pairs records exactly as the shared scorer does (it imports ../shared/eval/score.py) and
prints, per document, each missed gold record with its evidence snippets and each extra
prediction with the text of its evidence. With --slots, matched pairs whose slots differ
are printed too (wrong status, date, value, speaker). Read the output, group the errors
by cause, and keep the table in docs/accuracy.md current.
"""
import argparse
import importlib.util
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def load_scorer(shared):
    spec = importlib.util.spec_from_file_location("score", os.path.join(shared, "eval", "score.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def short(s, n=220):
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", required=True)
    ap.add_argument("--gold", required=True)
    ap.add_argument("--pred", required=True)
    ap.add_argument("--slots", action="store_true")
    ap.add_argument("--shared", default=os.path.join(HERE, "..", "..", "shared"))
    a = ap.parse_args()
    sc = load_scorer(a.shared)
    docs = {d["id"]: d for d in sc.load_jsonl(a.docs)}
    gold = {g["doc_id"]: g for g in sc.load_jsonl(a.gold)}
    preds = {}
    for r in sc.load_jsonl(a.pred):
        preds.setdefault(r.get("doc_id"), []).append(r)
    for doc_id, gdoc in gold.items():
        text = docs[doc_id]["text"]
        raw = text.encode("utf-8")
        golds = [x for r in gdoc["records"] for x in sc.split_gold(doc_id, r, raw)]
        ps = [x for r in preds.get(doc_id, []) for x in sc.split_pred(r)]
        pairs = sc.match(golds, ps)
        mg = dict(pairs)
        mp = {pi for _, pi in pairs}
        out = []
        for gi, g in enumerate(golds):
            if g.get("optional"):
                continue
            if gi not in mg:
                out.append(f"  MISS  {sc.describe(g)} value={g.get('value')}")
                for e in g.get("evidence", [])[:3]:
                    out.append(f"        | {short(e)}")
            elif a.slots:
                p = ps[mg[gi]]
                bad = []
                for slot, same in (("status", sc.eq), ("date", sc.same_date), ("asserted_by", sc.same_actor),
                                   ("value", sc.same_value), ("recipient", sc.eq)):
                    acc = sc.accept_list(g, slot)
                    v = p.get(slot)
                    ok = (v in (None, "", []) and (None in acc or all(x is None for x in acc))) or any(
                        x is not None and v not in (None, "", []) and same(x, v) for x in acc)
                    if not ok:
                        bad.append(f"{slot}: {v!r} not in {acc}")
                if bad:
                    out.append(f"  SLOT  {sc.describe(g)}: " + "; ".join(bad))
                    for s, e in p["spans"][:2]:
                        out.append(f"        > {short(raw[s:e].decode('utf-8', 'replace'))}")
        for pi, p in enumerate(ps):
            if pi in mp:
                continue
            out.append(f"  EXTRA {sc.describe(p)} value={p.get('value')}")
            for s, e in p["spans"][:3]:
                out.append(f"        > {short(raw[s:e].decode('utf-8', 'replace'))}")
        if out:
            print(f"{doc_id} ({docs[doc_id].get('published')}):")
            print("\n".join(out))


if __name__ == "__main__":
    sys.exit(main())
