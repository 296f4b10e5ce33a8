#!/bin/sh
# Installs Debian's headless-capable Chromium when missing, for the serve crate's browser
# test (crates/aidledger-serve/tests/browser.rs). Run as root (or with sudo) on CI.
set -eu
if command -v chromium >/dev/null 2>&1; then
    echo "chromium present: $(chromium --version 2>/dev/null || echo unknown version)"
    exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends chromium fonts-dejavu-core
chromium --version
