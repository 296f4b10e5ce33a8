#!/usr/bin/env bash
# Throughput of `aidledger text` on the 181 pages of the article-extraction benchmark
# (../shared/conformance/article-extraction/html): one process per page, run one after
# the other, as check.py runs it; then `aidledger extract` over the same pages as a
# folder (one process, all cores, record extraction included). Prints pages/s and MB/s
# of uncompressed HTML. Beside it, Python trafilatura on the same pages in the same run
# when `python3 -c "import trafilatura"` works (this script installs nothing).
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared}
PAGES="$SHARED/conformance/article-extraction/html"
[ -d "$PAGES" ] || { echo "bench-html.sh: $PAGES not found" >&2; exit 2; }
cargo build --release --locked -p aidledger >&2
BIN=${CARGO_TARGET_DIR:-target}/release/aidledger
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
for f in "$PAGES"/*.html.gz; do
  b=$(basename "$f" .gz)
  gzip -dc "$f" > "$TMP/$b"
done
n=$(ls "$TMP" | wc -l)
bytes=$(cat "$TMP"/*.html | wc -c)
rate() { python3 -c 'import sys; n,b,s=int(sys.argv[1]),int(sys.argv[2]),float(sys.argv[3]); print(f"{n} pages, {b/1e6:.1f} MB in {s:.2f} s: {n/s:.0f} pages/s, {b/1e6/s:.1f} MB/s")' "$n" "$bytes" "$1"; }
now() { python3 -c 'import time; print(time.time())'; }

t0=$(now)
for f in "$TMP"/*.html; do "$BIN" text --body "$f" > /dev/null; done
t1=$(now)
echo "aidledger text (one process per page): $(rate "$(python3 -c "print($t1-$t0)")")"

t0=$(now)
"$BIN" extract --quiet "$TMP" -o /dev/null
t1=$(now)
echo "aidledger extract on the folder (text and records, all cores): $(rate "$(python3 -c "print($t1-$t0)")")"

if python3 -c "import trafilatura" 2>/dev/null; then
  t0=$(now)
  python3 - "$TMP" <<'PY'
import glob, sys, trafilatura
for f in sorted(glob.glob(sys.argv[1] + "/*.html")):
    trafilatura.extract(open(f, "rb").read())
PY
  t1=$(now)
  echo "python trafilatura (one process, all pages): $(rate "$(python3 -c "print($t1-$t0)")")"
else
  echo "python trafilatura: not installed (python3 -c 'import trafilatura' fails), not measured"
fi
