#!/usr/bin/env bash
# Serve latency: ingests a corpus into a temporary SQLite ledger, starts
# `aidledger serve` on a free loopback port and measures p50/p99 per endpoint with
# concurrent clients (scripts/bench-serve.py, Python threads, no other tool needed).
#
# Usage: scripts/bench-serve.sh [CORPUS] [CLIENTS] [REQUESTS_PER_ENDPOINT]
# Defaults: ../shared/corpus/news-en.jsonl, 16 clients, 400 requests.
# Needs a release build: cargo build --release -p aidledger
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpus/news-en.jsonl}
clients=${2:-16}
total=${3:-400}
bin=target/release/aidledger
[ -x "$bin" ] || { echo "build first: cargo build --release -p aidledger" >&2; exit 1; }
tmp=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
"$bin" ingest "$corpus" --db "$tmp/ledger.db" >/dev/null 2>"$tmp/ingest.err" || { cat "$tmp/ingest.err" >&2; exit 1; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$bin" serve --db "$tmp/ledger.db" --addr "127.0.0.1:$port" 2>"$tmp/serve.err" &
pid=$!
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$port/api/openapi.json" >/dev/null && break
  sleep 0.1
done
echo "corpus: $corpus ($(du -h "$tmp/ledger.db" | cut -f1) database)"
python3 scripts/bench-serve.py "http://127.0.0.1:$port" "$clients" "$total"
