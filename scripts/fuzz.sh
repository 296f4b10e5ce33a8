#!/usr/bin/env bash
# Runs the cargo-fuzz targets in fuzz/ (docs/fuzzing.md).
#   scripts/fuzz.sh TARGET SECONDS   one target for SECONDS seconds
#   scripts/fuzz.sh all SECONDS      every target in turn, SECONDS each
#   scripts/fuzz.sh list             the target names
#   scripts/fuzz.sh install          installs cargo-fuzz if it is missing, nothing else
# Works on stable Rust: the targets are built without a sanitizer (--sanitizer none) unless
# FUZZ_SANITIZER is set (e.g. FUZZ_SANITIZER=address with a nightly toolchain, FUZZ_TOOLCHAIN=nightly).
# Prints, per target, the executions, the seconds and the crashes; exits 1 when a target
# crashed (its input is saved under fuzz/artifacts/TARGET/), 2 on a usage or setup error.
# Runs under `nice -n 10` (FUZZ_NICE to change), one process on one core.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_FUZZ_VERSION=${CARGO_FUZZ_VERSION:-0.13.1}
SANITIZER=${FUZZ_SANITIZER:-none}
TOOLCHAIN=${FUZZ_TOOLCHAIN:+"+$FUZZ_TOOLCHAIN"}
NICE=${FUZZ_NICE:-10}

install_cargo_fuzz() {
  if cargo fuzz --version >/dev/null 2>&1; then
    return 0
  fi
  echo "fuzz.sh: cargo-fuzz not found, installing cargo-fuzz $CARGO_FUZZ_VERSION (cargo install --locked)" >&2
  local start=$SECONDS
  cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked >&2
  echo "fuzz.sh: cargo-fuzz installed in $((SECONDS - start)) s" >&2
}

targets() {
  sed -n 's/^name = "\(fuzz_[a-z_]*\)"$/\1/p' fuzz/Cargo.toml
}

# run_one TARGET SECONDS: builds, fuzzes, prints one summary line; returns 1 on a crash
run_one() {
  local target=$1 secs=$2
  local corpus=fuzz/corpus/$target work log
  # the committed seeds stay untouched; new inputs go to a scratch corpus
  work=$(mktemp -d)
  log=$(mktemp)
  # the targets' scratch files (a store, an input file) go here and are removed after
  local scratch
  scratch=$(mktemp -d)
  cargo $TOOLCHAIN fuzz build --sanitizer "$SANITIZER" "$target" >&2
  local rc=0 start=$SECONDS
  TMPDIR=$scratch nice -n "$NICE" cargo $TOOLCHAIN fuzz run --sanitizer "$SANITIZER" "$target" "$work" "$corpus" -- \
    -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    >"$log" 2>&1 || rc=$?
  local took=$((SECONDS - start))
  local execs
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  local seeds
  seeds=$(find "$work" -type f | wc -l)
  if [ "$rc" -ne 0 ]; then
    # libFuzzer stops at the first crash, time-out or out-of-memory
    tail -n 60 "$log" >&2
    echo "$target: ${took} s, executions ${execs:-?}, crashes 1 (exit $rc), input saved in fuzz/artifacts/$target/"
  else
    echo "$target: ${took} s, executions ${execs:-?}, crashes 0, new corpus inputs $seeds"
  fi
  rm -rf "$work" "$log" "$scratch"
  [ "$rc" -eq 0 ]
}

case "${1:-}" in
  install) install_cargo_fuzz; exit 0 ;;
  list) targets; exit 0 ;;
  "" ) echo "usage: scripts/fuzz.sh TARGET|all SECONDS | list | install" >&2; exit 2 ;;
esac
[ $# -eq 2 ] && [[ $2 =~ ^[0-9]+$ ]] || { echo "usage: scripts/fuzz.sh TARGET|all SECONDS" >&2; exit 2; }
install_cargo_fuzz
if [ "$1" = all ]; then
  mapfile -t list < <(targets)
else
  targets | grep -qx "$1" || { echo "fuzz.sh: no target $1 (scripts/fuzz.sh list)" >&2; exit 2; }
  list=("$1")
fi
failed=0
for t in "${list[@]}"; do
  run_one "$t" "$2" || failed=1
done
exit $failed
