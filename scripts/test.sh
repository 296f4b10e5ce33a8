#!/usr/bin/env bash
# The test command of the README: every unit, integration and property test.
# Needs nothing but a Rust toolchain (no ../shared). Ends with one summary line,
# "tests: N passed, M failed, K skipped", totalled over all test binaries. A test that
# cannot run here (the PostgreSQL tests without AIDLEDGER_TEST_PG, the browser test
# without Chromium) returns early and writes "AIDLEDGER-SKIP NAME: WHY" to stderr; the
# harness counts it as passed, this summary counts it as skipped instead.
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
cargo test --workspace --locked "$@" 2>&1 | tee "$log" || status=$?
python3 - "$log" <<'PY' || awk '/^test result:/ {p+=$4; f+=$6} END {printf "tests: %d passed, %d failed\n", p, f}' "$log"
import re, sys
p = f = 0
skips = []
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    m = re.match(r"test result: \w+\. (\d+) passed; (\d+) failed", line)
    if m:
        p += int(m.group(1)); f += int(m.group(2))
    skips += re.findall(r"AIDLEDGER-SKIP (\S+):", line)
if skips:
    print(f"skipped (not run here): {', '.join(sorted(skips))}")
print(f"tests: {p - len(skips)} passed, {f} failed, {len(skips)} skipped")
PY
exit $status
