#!/usr/bin/env bash
# Installs Debian's chromium for the dashboard browser tests (tests/Friture.Streaming.Hosting.Tests/Dashboard).
# Idempotent: does nothing when /usr/bin/chromium already runs. Playwright drives this browser; it never downloads one.
set -euo pipefail

if [ -x /usr/bin/chromium ] && /usr/bin/chromium --version >/dev/null 2>&1; then
  echo "chromium.sh: $(/usr/bin/chromium --version) already installed"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "chromium.sh: chromium missing and not root; skipping (the dashboard browser tests will fail under CI=true)" >&2
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -print -quit 2>/dev/null)" ]; then
  apt-get update -qq
fi
apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null \
  || { apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null; }
echo "chromium.sh: installed $(/usr/bin/chromium --version)"
