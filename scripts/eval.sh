#!/usr/bin/env bash
# Measures AidLedger against ../shared: the dev set (score.py) and the six Duckling
# conformance corpora (check.py). Prints every figure and fails when one drops below
# its floor in scripts/floors.tsv (a ratchet: raise a floor when you improve).
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared}
[ -d "$SHARED/eval" ] || { echo "eval.sh: $SHARED not found" >&2; exit 2; }

cargo build --release --locked -p aidledger >&2
BIN=target/release/aidledger
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

declare -A got
echo "== dev set ($SHARED/eval/dev)"
"$BIN" extract --quiet "$SHARED/eval/dev/docs.jsonl" -o "$OUT/dev.jsonl"
python3 "$SHARED/eval/score.py" --docs "$SHARED/eval/dev/docs.jsonl" --gold "$SHARED/eval/dev/gold.jsonl" \
  --pred "$OUT/dev.jsonl" | tee "$OUT/score.txt"
python3 "$SHARED/eval/score.py" --docs "$SHARED/eval/dev/docs.jsonl" --gold "$SHARED/eval/dev/gold.jsonl" \
  --pred "$OUT/dev.jsonl" --json > "$OUT/score.json"
got[dev_record_f1]=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["records"]["f1"])' "$OUT/score.json")
got[dev_slot_f1]=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["overall"]["f1"])' "$OUT/score.json")

echo "== unlabeled corpora (no document may fail inside the extractor: --strict)"
for corpus in "$SHARED/corpus/news-en.jsonl" "$SHARED/corpus/wh-briefings.jsonl.gz"; do
  "$BIN" extract --strict "$corpus" -o "$OUT/corpus.jsonl"
done

echo "== conformance (Duckling corpora)"
for kind in numeral money time; do
  for lang in fr en; do
    tsv="$SHARED/conformance/duckling/${kind}_${lang}.tsv"
    check=$kind; [ "$kind" = numeral ] && check=number
    prefer=past; [ "$kind" = time ] && prefer=future
    line=$(python3 "$SHARED/conformance/check.py" --kind "$check" --tsv "$tsv" --json \
      --cmd "$BIN parse --lang $lang --ref 2013-02-12T04:30:00 --prefer $prefer" | head -n 1)
    acc=$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(d["accuracy"])' "$line")
    echo "$kind $lang: $line"
    got[${kind}_${lang}]=$acc
  done
done

echo "== floors (scripts/floors.tsv)"
fail=0
while IFS=$'\t' read -r name floor; do
  case "$name" in ''|\#*) continue ;; esac
  value=${got[$name]:-}
  if [ -z "$value" ]; then echo "missing figure: $name"; fail=1; continue; fi
  if python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) + 1e-9 >= float(sys.argv[2]) else 1)' "$value" "$floor"; then
    printf 'ok    %-16s %.3f >= %s\n' "$name" "$value" "$floor"
  else
    printf 'FAIL  %-16s %.3f <  %s\n' "$name" "$value" "$floor"; fail=1
  fi
done < scripts/floors.tsv
exit $fail
