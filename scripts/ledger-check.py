#!/usr/bin/env python3
"""Do the ledger's packages match the known US packages of 2022?

  aidledger export --db DB --format jsonl -o rows.jsonl
  ledger-check.py --rows rows.jsonl [--table TSV] [--explain] [--json]

Reads the commitment rows of `aidledger export` (columns id, kind, donor, recipient,
announced, status, value, currency, items, sources, flags, confirmed) and the table of packages
(default: ../shared/eval/packages/us-packages-2022.tsv). The ledger's packages are its
rows of kind `package`, donor USA, recipient UKR, currency USD, with a value, announced
in 2022 and without a sanity flag unless a person confirmed it (flagged rows are kept
out of sums until confirmed; they are counted apart). A ledger package and a table row match when the values are within 1 % and the
announcement dates within 5 days (a date coarser than a day matches nothing).

- recall: table rows of 2022 that check.py counts as findable
  (wh_docs_within_5_days_with_amount > 0) matched by a ledger package;
- precision: ledger packages that match any row of the table;
- committed_usd: the sum of the values of the ledger packages whose status is past the
  request (not `requested` or `considering`): the ledger's committed total (figures.rs
  counts a package with a pledged, approved, expedited or delivered stage; the export
  gives the latest status only, so a package whose status is an interruption is
  counted here too);
- committed_in_range: 1 when committed_usd lies between 0.7 x the sum of the findable
  packages and 1.3 x the sum of all the year's packages (issue 8), else 0;
  committed_in_strict_range: the same between the two sums themselves.
Only the Python standard library is used.
"""
import argparse, csv, datetime as dt, json, os, sys


def day(s):
    if not s or len(s) != 10:
        return None
    try:
        return dt.date.fromisoformat(s)
    except ValueError:
        return None


def matches(value, date, amount, d0):
    return date is not None and abs(value - amount) <= 0.01 * max(value, amount) and abs((date - d0).days) <= 5


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", required=True, help="aidledger export --format jsonl output")
    shared = os.environ.get("SHARED", os.path.join(here, "..", "..", "shared"))
    ap.add_argument("--table", default=os.path.join(shared, "eval", "packages", "us-packages-2022.tsv"))
    ap.add_argument("--year", default="2022")
    ap.add_argument("--explain", action="store_true")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    ours, flagged = [], 0
    with open(a.rows, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if (r.get("kind") != "package" or r.get("donor") != "USA" or r.get("recipient") != "UKR"
                    or r.get("currency") != "USD" or r.get("value") is None
                    or not (r.get("announced") or "").startswith(a.year)):
                continue
            if r.get("flags") and not r.get("confirmed"):
                flagged += 1
                continue
            ours.append(r)
    table = list(csv.DictReader(open(a.table, encoding="utf-8"), delimiter="\t"))
    known = [(float(t["amount_usd"]), dt.date.fromisoformat(t["announced"]), t) for t in table]
    findable = [k for k in known if k[1].year == int(a.year) and int(k[2]["wh_docs_within_5_days_with_amount"]) > 0]
    found = [k for k in findable if any(matches(float(r["value"]), day(r["announced"]), k[0], k[1]) for r in ours)]
    right = [r for r in ours if any(matches(float(r["value"]), day(r["announced"]), x, d) for x, d, _ in known)]
    committed = sum(float(r["value"]) for r in ours if r["status"] not in ("requested", "considering"))
    out = {
        "findable": len(findable), "found": len(found),
        "recall": len(found) / len(findable) if findable else 0.0,
        "ledger_packages": len(ours), "matching": len(right),
        "precision": len(right) / len(ours) if ours else 0.0,
        "flagged": flagged,
        "committed_usd": committed,
        "findable_usd": sum(k[0] for k in findable),
        "year_usd": sum(k[0] for k in known if k[1].year == int(a.year)),
    }
    out["committed_in_range"] = 1.0 if 0.7 * out["findable_usd"] <= committed <= 1.3 * out["year_usd"] else 0.0
    out["committed_in_strict_range"] = 1.0 if out["findable_usd"] <= committed <= out["year_usd"] else 0.0
    if a.explain:
        for x, d0, t in findable:
            hit = next((r for r in ours if matches(float(r["value"]), day(r["announced"]), x, d0)), None)
            print(f"{'FOUND' if hit else 'MISS '} {d0} ${x / 1e6:,.0f}M" + (f"  <- {hit['id']} {hit['announced']}" if hit else ""))
        for r in ours:
            if r not in right:
                print(f"EXTRA {r['announced']} ${float(r['value']) / 1e6:,.1f}M {r['status']} {r['id']} {'; '.join(r['items'][:4])}")
    if a.json:
        print(json.dumps(out))
    else:
        print(f"recall {out['found']}/{out['findable']} = {out['recall']:.3f}; "
              f"precision {out['matching']}/{out['ledger_packages']} = {out['precision']:.3f} ({flagged} flagged apart); "
              f"committed USD {committed / 1e9:.2f} bn (0.7 x findable {0.7 * out['findable_usd'] / 1e9:.1f} bn "
              f"to 1.3 x all {1.3 * out['year_usd'] / 1e9:.1f} bn: {'in' if out['committed_in_range'] else 'OUT OF'} range; "
              f"findable {out['findable_usd'] / 1e9:.1f} to all {out['year_usd'] / 1e9:.1f} bn: "
              f"{'in' if out['committed_in_strict_range'] else 'out of'} it)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
