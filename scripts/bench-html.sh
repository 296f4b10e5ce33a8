#!/usr/bin/env bash
# Throughput of `aidledger text` on the 181 pages of the article-extraction benchmark
# (../shared/conformance/article-extraction/html): one process per page, run one after
# the other, as check.py runs it; then `aidledger extract` over the same pages as a
# folder (one process, all cores, record extraction included). Prints pages/s and MB/s
# of uncompressed HTML. Beside it, Python trafilatura on the same pages in the same run:
# the script installs it from PyPI into a virtual environment under the target folder
# (target/bench-venv) unless it is already importable there, or NO_INSTALL=1 is set.
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

VENV=${CARGO_TARGET_DIR:-target}/bench-venv
if [ ! -x "$VENV/bin/python" ] && [ -z "${NO_INSTALL:-}" ]; then
  python3 -m venv "$VENV" >&2
fi
if [ -x "$VENV/bin/python" ] && ! "$VENV/bin/python" -c "import trafilatura" 2>/dev/null && [ -z "${NO_INSTALL:-}" ]; then
  "$VENV/bin/python" -m pip install --quiet trafilatura lxml_html_clean >&2 || echo "bench-html.sh: pip install trafilatura failed" >&2
fi
if [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c "import trafilatura" 2>/dev/null; then
  ver=$("$VENV/bin/python" -c "import trafilatura; print(trafilatura.__version__)")
  t0=$(now)
  "$VENV/bin/python" - "$TMP" <<'PY'
import glob, sys, trafilatura
for f in sorted(glob.glob(sys.argv[1] + "/*.html")):
    trafilatura.extract(open(f, "rb").read())
PY
  t1=$(now)
  echo "python trafilatura $ver (one process, all pages): $(rate "$(python3 -c "print($t1-$t0)")")"
  t0=$(now)
  for f in "$TMP"/*.html; do "$VENV/bin/python" -c 'import sys, trafilatura; trafilatura.extract(open(sys.argv[1], "rb").read())' "$f"; done
  t1=$(now)
  echo "python trafilatura $ver (one process per page, as aidledger text above): $(rate "$(python3 -c "print($t1-$t0)")")"
else
  echo "python trafilatura: not available (NO_INSTALL set, or the install failed), not measured"
fi
