#!/usr/bin/env bash
# Serve figures on an existing ledger (issue 10): starts `aidledger serve --token` on a
# copy-free DB path, then
#   1. scripts/bench-serve.py with 16 clients (p50/p99 per endpoint), optionally with
#      SLOW slow-header connections held open during the run;
#   2. 100 concurrent requests to the list endpoint (/api/commitments), all at once;
#   3. 500 concurrent requests to the overview;
#   4. a POST of one new document, timed;
# and prints the server's peak resident memory (VmHWM). The server runs with its
# default limits except --max-in-flight, raised to 1024 so that step 2 and 3 measure
# answers, not shedding (the shedding itself is tested in crates/aidledger-serve/tests).
#
# Usage: scripts/bench-serve-db.sh DB [REQUESTS_PER_ENDPOINT] [SLOW]
# Needs a release build: cargo build --release -p aidledger
set -euo pipefail
cd "$(dirname "$0")/.."
db=${1:?usage: bench-serve-db.sh DB [REQUESTS] [SLOW]}
total=${2:-400}
slow=${3:-0}
bin=${CARGO_TARGET_DIR:-target}/release/aidledger
[ -x "$bin" ] || { echo "build first: cargo build --release -p aidledger" >&2; exit 1; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
err=$(mktemp)
AIDLEDGER_TOKEN=bench-token "$bin" serve --db "$db" --addr "127.0.0.1:$port" \
  --max-in-flight 1024 2>"$err" &
pid=$!
trap 'kill $pid 2>/dev/null; rm -f "$err"' EXIT
for _ in $(seq 600); do
  curl -sf "http://127.0.0.1:$port/api/openapi.json" >/dev/null && break
  sleep 0.1
done
base="http://127.0.0.1:$port"
echo "ledger: $db ($(du -h "$db" | cut -f1)), $(curl -s "$base/api/commitments?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"], "commitments")')"
python3 scripts/bench-serve.py "$base" 16 "$total" "$slow"
echo "-- 100 concurrent list requests (/api/commitments), one each:"
ONLY="api commitments" python3 scripts/bench-serve.py "$base" 100 100 0 | tail -n 1
echo "-- 500 concurrent overview requests, one each:"
ONLY=overview python3 scripts/bench-serve.py "$base" 500 500 0 | tail -n 1
echo "-- POST of one new document:"
curl -s -o /dev/null -w "HTTP %{http_code} in %{time_total} s\n" \
  -H "Authorization: Bearer bench-token" -H "Content-Type: application/json" \
  --data "[{\"id\": \"bench-post-$(date +%s%N)\", \"text\": \"Denmark delivered 19 F-16 fighter jets to Ukraine, the Danish defence ministry said on Tuesday.\", \"published\": \"2024-08-06\", \"lang\": \"en\"}]" \
  "$base/api/documents"
echo "server peak RSS: $(grep VmHWM /proc/$pid/status | awk '{printf "%.0f MB", $2/1024}')"
