#!/usr/bin/env bash
# Proves the fast path (issue 9) changes nothing: extracts every dev set and both corpora
# of ../shared with the fast path (the default) and with it off (--no-fast-path), and
# compares the two outputs byte for byte. Prints one line per input; exits 1 on the first
# difference (the diff's first lines are shown).
#
#   scripts/fastpath-check.sh            builds target/release/aidledger first
#   BIN=path/to/aidledger scripts/fastpath-check.sh   uses that binary (scripts/eval.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared}
[ -d "$SHARED/eval" ] || { echo "fastpath-check.sh: $SHARED not found" >&2; exit 2; }
if [ -z "${BIN:-}" ]; then
  cargo build --release --locked -p aidledger >&2
  BIN=${CARGO_TARGET_DIR:-target}/release/aidledger
fi
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

fail=0
for input in "$SHARED/eval/dev/docs.jsonl" "$SHARED/eval/dev-en/docs.jsonl" \
  "$SHARED/eval/dev-fr/docs.jsonl" eval/fr/docs.jsonl \
  "$SHARED/corpus/news-en.jsonl" "$SHARED/corpus/wh-briefings.jsonl.gz"; do
  "$BIN" extract --quiet "$input" -o "$OUT/fast.jsonl"
  "$BIN" extract --quiet --no-fast-path "$input" -o "$OUT/slow.jsonl"
  records=$(wc -l < "$OUT/fast.jsonl")
  if cmp -s "$OUT/fast.jsonl" "$OUT/slow.jsonl"; then
    echo "fast path identical: $input ($records records, $(wc -c < "$OUT/fast.jsonl") bytes)"
  else
    echo "FAST PATH DIFFERS: $input" >&2
    diff "$OUT/slow.jsonl" "$OUT/fast.jsonl" | head -n 20 >&2 || true
    fail=1
  fi
done
exit $fail
