#!/usr/bin/env bash
# Extraction throughput (issue 9): builds the release binary, then runs
#   aidledger extract --jobs N INPUT -o /dev/null  with N = 1 and N = 2
#   python3 scripts/naive_regex.py INPUT          (a naive regex pass, one thread)
# under /usr/bin/time -v and prints one table: wall seconds, CPU seconds (user + system),
# MB/s (uncompressed input bytes / wall), documents/s, peak RSS and what was found.
#
#   scripts/bench.sh [INPUT]     default: ../shared/corpus/wh-briefings.jsonl.gz (next to
#                                the repository)
#   RUNS=3 scripts/bench.sh      each row is the run with the least wall time of 3
#   KEEP_TMP=1 scripts/bench.sh  keeps the /usr/bin/time reports and outputs (path printed)
#
# INPUT is documents JSONL, plain or gzip. --jobs sets the extraction workers; the CLI
# also runs one reader thread (file reading, gzip decoding, JSON parsing) beside them, so
# CPU seconds can exceed wall seconds even with --jobs 1. The machine may be loaded by
# other work: the "others" column is the CPU (in cores) that other processes used while a
# row ran, so 0.00 is an undisturbed run; run it twice (or RUNS=2) and keep the better
# run. See BENCHMARKS.md.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
INPUT=${1:-$ROOT/../shared/corpus/wh-briefings.jsonl.gz}
RUNS=${RUNS:-1}
[ -f "$INPUT" ] || { echo "bench.sh: $INPUT: no such file" >&2; exit 2; }
INPUT=$(cd "$(dirname "$INPUT")" && pwd)/$(basename "$INPUT")
cd "$ROOT"

if [ ! -x /usr/bin/time ]; then
  echo "bench.sh: installing GNU time (/usr/bin/time)" >&2
  SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq >&2 && $SUDO apt-get install -y -qq time >&2
fi

cargo build --release --locked -p aidledger >&2
BIN=${CARGO_TARGET_DIR:-target}/release/aidledger
TMP=$(mktemp -d)
trap '[ -n "${KEEP_TMP:-}" ] && echo "bench.sh: reports kept in $TMP" >&2 || rm -rf "$TMP"' EXIT

# uncompressed size of the input (what MB/s divides)
if [ "$(head -c2 "$INPUT" | od -An -tx1 | tr -d ' \n')" = 1f8b ]; then
  BYTES=$(gzip -dc "$INPUT" | wc -c)
else
  BYTES=$(wc -c < "$INPUT")
fi

# field NAME FILE: a value of /usr/bin/time -v's report
field() { sed -n "s/^[[:space:]]*$1: //p" "$2" | tail -1; }
# seconds of an elapsed time "h:mm:ss" or "m:ss.ss"
secs() { awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.2f", s }' <<< "$1"; }
# CPU seconds all processes have used since boot (user, nice, system, irq, softirq, steal)
busy() { awk -v hz="$(getconf CLK_TCK)" '/^cpu / { printf "%.2f", ($2 + $3 + $4 + $7 + $8 + $9) / hz }' /proc/stat; }

# timed NAME COMMAND...: runs COMMAND RUNS times under /usr/bin/time -v, its output in
# $TMP/NAME.out, $TMP/NAME.err; keeps the report of the fastest run in $TMP/NAME.time and
# the CPU other processes used meanwhile in $TMP/NAME.others
timed() {
  local name=$1 i b0 b1 wall best=
  shift
  for ((i = 1; i <= RUNS; i++)); do
    b0=$(busy)
    if ! /usr/bin/time -v -o "$TMP/t" "$@" > "$TMP/o" 2> "$TMP/e"; then
      cat "$TMP/e" >&2
      exit 1
    fi
    b1=$(busy)
    wall=$(secs "$(field 'Elapsed (wall clock) time (h:mm:ss or m:ss)' "$TMP/t")")
    if [ -z "$best" ] || awk -v a="$wall" -v b="$best" 'BEGIN { exit !(a < b) }'; then
      best=$wall
      mv "$TMP/t" "$TMP/$name.time"
      mv "$TMP/o" "$TMP/$name.out"
      mv "$TMP/e" "$TMP/$name.err"
      awk -v b="$(awk -v a="$b0" -v b="$b1" 'BEGIN { print b - a }')" \
        -v u="$(field 'User time (seconds)' "$TMP/$name.time")" \
        -v s="$(field 'System time (seconds)' "$TMP/$name.time")" -v w="$wall" \
        'BEGIN { o = (b - u - s) / w; printf "%.2f", o < 0 ? 0 : o }' > "$TMP/$name.others"
    fi
  done
}

ROWS=()
# row LABEL THREADS DOCS FOUND NAME
row() {
  local t=$TMP/$5.time wall cpu rss
  wall=$(secs "$(field 'Elapsed (wall clock) time (h:mm:ss or m:ss)' "$t")")
  cpu=$(awk -v u="$(field 'User time (seconds)' "$t")" -v s="$(field 'System time (seconds)' "$t")" 'BEGIN { printf "%.2f", u + s }')
  rss=$(awk -v k="$(field 'Maximum resident set size (kbytes)' "$t")" 'BEGIN { printf "%.0f", k / 1024 }')
  ROWS+=("$(awk -v l="$1" -v j="$2" -v w="$wall" -v c="$cpu" -v b="$BYTES" -v d="$3" -v r="$rss" -v f="$4" -v o="$(cat "$TMP/$5.others")" \
    'BEGIN { printf "%-30s %7s %7.2f %7.2f %7.1f %8.0f %7s %7s  %s", l, j, w, c, b / 1e6 / w, d / w, r, o, f }')")
}

for j in 1 2; do
  timed "extract-$j" "$BIN" extract --jobs "$j" "$INPUT" -o /dev/null
  # summary line: "aidledger: 14,396 documents read, 14,396 processed, 0 skipped; 1,206 records written; ..."
  summary=$(grep '^aidledger: .* documents read' "$TMP/extract-$j.err" | tail -1 | tr -d ,)
  docs=$(sed -n 's/.* \([0-9]*\) processed.*/\1/p' <<< "$summary")
  recs=$(sed -n 's/.* \([0-9]*\) records written.*/\1/p' <<< "$summary")
  row "aidledger extract --jobs $j" "$j" "$docs" "$recs records" "extract-$j"
done

timed regex python3 scripts/naive_regex.py "$INPUT"
# "documents=447 bytes=1519181 sentences=10526 matching=31"
docs=$(sed -n 's/.*documents=\([0-9]*\).*/\1/p' "$TMP/regex.out")
hits=$(sed -n 's/.*matching=\([0-9]*\).*/\1/p' "$TMP/regex.out")
row "naive regex pass (python3)" 1 "$docs" "$hits sentences" regex

echo "input: $INPUT ($(awk -v b="$BYTES" 'BEGIN { printf "%.1f", b / 1e6 }') MB uncompressed), $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), best of $RUNS run(s)"
printf '%-30s %7s %7s %7s %7s %8s %7s %7s  %s\n' "run" threads "wall s" "CPU s" "MB/s" "docs/s" "RSS MB" "others" "found"
printf '%s\n' "${ROWS[@]}"
