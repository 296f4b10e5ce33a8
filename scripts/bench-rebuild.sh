#!/usr/bin/env bash
# Ingest of one more document into a ledger built from the White House corpus: the
# incremental rebuild (only the parties the document touches, docs/ledger.md rule 10)
# against a full rebuild (what every write did before: the stale mark set to 1 before
# the same ingest). Also an ingest of a document already stored (no rebuild) as the
# fixed cost of a run (process start, opening, reading the input).
#
#   bash scripts/bench-rebuild.sh [RUNS]       (needs a release build and ../shared)
#
# Two extra documents: a White House briefing about USA -> UKR re-keyed (the party of
# nearly every document of the corpus) and a news article about DEU -> UKR only.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-7}
BIN=${BIN:-target/release/aidledger}
SHARED=${SHARED:-../shared}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
"$BIN" ingest --quiet "$SHARED/corpus/wh-briefings.jsonl.gz" --db "$OUT/base.db"
python3 - "$SHARED" "$OUT" <<'PY'
import gzip, json, sqlite3, sys
shared, out = sys.argv[1], sys.argv[2]
c = sqlite3.connect(f"{out}/base.db")
ids = {r[0] for r in c.execute(
    "SELECT doc_id FROM record_parties WHERE donor = 'USA' AND recipient = 'UKR'"
    " GROUP BY doc_id HAVING count(*) >= 3")}
docs = [d for d in map(json.loads, gzip.open(f"{shared}/corpus/wh-briefings.jsonl.gz", "rt")) if d["id"] in ids]
d = sorted(docs, key=lambda d: (len(d["text"]), d["id"]))[len(docs) // 2]
d["id"] = "bench-extra-usa-ukr"
open(f"{out}/usa.jsonl", "w").write(json.dumps(d) + "\n")
news = [json.loads(l) for l in open(f"{shared}/corpus/news-en.jsonl")]
g = [x for x in news if "Berlin has agreed to send 14 Leopard 2" in x["text"]][0]
g["id"] = "bench-extra-deu-ukr"
open(f"{out}/deu.jsonl", "w").write(json.dumps(g) + "\n")
PY
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
run() { # db-setup-sql input
  local t0 t1
  cp "$OUT/base.db" "$OUT/x.db"; rm -f "$OUT/x.db-wal" "$OUT/x.db-shm"
  [ -n "$1" ] && sqlite3 "$OUT/x.db" "$1"
  t0=$(date +%s%N); "$BIN" ingest --quiet "$2" --db "$OUT/x.db"; t1=$(date +%s%N)
  echo $(( (t1 - t0) / 1000000 ))
}
for doc in usa deu; do
  cp "$OUT/base.db" "$OUT/y.db"; rm -f "$OUT/y.db-wal" "$OUT/y.db-shm"
  "$BIN" ingest --quiet "$OUT/$doc.jsonl" --db "$OUT/y.db"
  stored=$(cp "$OUT/y.db" "$OUT/base2.db"; for i in $(seq "$RUNS"); do cp "$OUT/y.db" "$OUT/x.db"; rm -f "$OUT/x.db-wal" "$OUT/x.db-shm"; t0=$(date +%s%N); "$BIN" ingest --quiet "$OUT/$doc.jsonl" --db "$OUT/x.db"; t1=$(date +%s%N); echo $(( (t1 - t0) / 1000000 )); done | median)
  inc=$(for i in $(seq "$RUNS"); do run "" "$OUT/$doc.jsonl"; done | median)
  full=$(for i in $(seq "$RUNS"); do run "UPDATE meta SET value = '1' WHERE key = 'commitments_stale'" "$OUT/$doc.jsonl"; done | median)
  # the two ledgers are the same
  run "" "$OUT/$doc.jsonl" >/dev/null; "$BIN" export --db "$OUT/x.db" --format jsonl -o "$OUT/inc.jsonl"
  run "UPDATE meta SET value = '1' WHERE key = 'commitments_stale'" "$OUT/$doc.jsonl" >/dev/null
  "$BIN" export --db "$OUT/x.db" --format jsonl -o "$OUT/full.jsonl"
  same=$(cmp -s "$OUT/inc.jsonl" "$OUT/full.jsonl" && echo identical || echo DIFFERENT)
  echo "$doc: already stored ${stored} ms; incremental ${inc} ms; full rebuild ${full} ms (median of $RUNS); exports $same"
done
