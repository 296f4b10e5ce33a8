#!/usr/bin/env bash
# Measures AidLedger against ../shared: every dev set (the three original French
# articles, dev-en, dev-fr, and the project's own gold under eval/) with score.py, the
# US package check, the six Duckling conformance corpora (check.py), and the main-text
# extraction of web pages (article-extraction benchmark, check.py), that the fast path
# changes no output (scripts/fastpath-check.sh), and a short fuzzing run of every target
# in fuzz/ (scripts/fuzz.sh). Prints every
# figure and fails when one drops below its floor in scripts/floors.tsv (a ratchet: raise a floor when you improve).
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared}
[ -d "$SHARED/eval" ] || { echo "eval.sh: $SHARED not found" >&2; exit 2; }

cargo build --release --locked -p aidledger >&2
BIN=${CARGO_TARGET_DIR:-target}/release/aidledger
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

declare -A got
# score SET DOCS GOLD: extracts DOCS, scores against GOLD, records SET_record_f1 and SET_slot_f1
score() {
  local set=$1 docs=$2 gold=$3
  echo "== $set ($gold)"
  "$BIN" extract --quiet "$docs" -o "$OUT/$set.jsonl"
  python3 "$SHARED/eval/score.py" --docs "$docs" --gold "$gold" --pred "$OUT/$set.jsonl" | tee "$OUT/$set.txt"
  python3 "$SHARED/eval/score.py" --docs "$docs" --gold "$gold" --pred "$OUT/$set.jsonl" --json > "$OUT/$set.json"
  got[${set}_record_f1]=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["records"]["f1"])' "$OUT/$set.json")
  got[${set}_slot_f1]=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["overall"]["f1"])' "$OUT/$set.json")
}
score dev "$SHARED/eval/dev/docs.jsonl" "$SHARED/eval/dev/gold.jsonl"
score dev_en "$SHARED/eval/dev-en/docs.jsonl" "$SHARED/eval/dev-en/gold.jsonl"
score dev_fr "$SHARED/eval/dev-fr/docs.jsonl" "$SHARED/eval/dev-fr/gold.jsonl"
# the project's own gold (eval/README.md): English texts come from the shared corpora
python3 scripts/eval-docs.py --shared "$SHARED" --gold eval/en/gold.jsonl --out "$OUT/own-en-docs.jsonl"
score own_en "$OUT/own-en-docs.jsonl" eval/en/gold.jsonl
score own_fr eval/fr/docs.jsonl eval/fr/gold.jsonl

echo "== unlabeled corpora (no document may fail inside the extractor: --strict)"
"$BIN" extract --strict "$SHARED/corpus/news-en.jsonl" -o "$OUT/news.jsonl"
"$BIN" extract --strict "$SHARED/corpus/wh-briefings.jsonl.gz" -o "$OUT/wh.jsonl"

echo "== fast path: the same output with --no-fast-path, byte for byte (scripts/fastpath-check.sh)"
if BIN="$BIN" SHARED="$SHARED" bash scripts/fastpath-check.sh; then
  got[fastpath_identical]=1
else
  got[fastpath_identical]=0
fi

echo "== US packages of 2022 in the White House corpus ($SHARED/eval/packages)"
pk=$(python3 "$SHARED/eval/packages/check.py" --corpus "$SHARED/corpus/wh-briefings.jsonl.gz" --pred "$OUT/wh.jsonl" --json)
echo "$pk"
got[packages_found]=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["found"])' "$pk")

echo "== the ledger's 2022 USA -> UKR packages, White House corpus ingested alone (scripts/ledger-check.py)"
start=$(date +%s.%N)
"$BIN" ingest --quiet "$SHARED/corpus/wh-briefings.jsonl.gz" --db "$OUT/wh-ledger.db"
echo "ingest: $(python3 -c 'import sys; print(f"{float(sys.argv[2]) - float(sys.argv[1]):.1f} s")' "$start" "$(date +%s.%N)")"
"$BIN" export --db "$OUT/wh-ledger.db" --format jsonl -o "$OUT/wh-rows.jsonl"
python3 scripts/ledger-check.py --rows "$OUT/wh-rows.jsonl" --table "$SHARED/eval/packages/us-packages-2022.tsv"
lk=$(python3 scripts/ledger-check.py --rows "$OUT/wh-rows.jsonl" --table "$SHARED/eval/packages/us-packages-2022.tsv" --json)
for f in recall precision committed_in_range; do
  got[ledger_$f]=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$lk" "$f")
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

echo "== article extraction: main text of 181 web pages ($SHARED/conformance/article-extraction)"
# body only (--body): the benchmark marks the article body without its headline
ae=$(python3 "$SHARED/conformance/article-extraction/check.py" --json --show-worst 10 \
  --cmd "$BIN text --body --format text -")
echo "$ae"
got[article_f1]=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1].splitlines()[-1])["f1"])' "$ae")

echo "== fuzzing: every target in fuzz/ for ${FUZZ_SECONDS:-20} s (scripts/fuzz.sh, docs/fuzzing.md)"
# fails the run on any crash; installs cargo-fuzz itself when it is missing; FUZZ_SECONDS=0 skips
fuzz_fail=0
if [ "${FUZZ_SECONDS:-20}" != 0 ]; then
  scripts/fuzz.sh all "${FUZZ_SECONDS:-20}" || { echo "FAIL  fuzzing (see above; inputs in fuzz/artifacts/)"; fuzz_fail=1; }
fi

echo "== floors (scripts/floors.tsv)"
fail=$fuzz_fail
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
