#!/usr/bin/env bash
# The test command of the README: every unit, integration and property test.
# Needs nothing but a Rust toolchain (no ../shared, no network after the first fetch).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --workspace --locked "$@"
