#!/usr/bin/env bash
# Installs aubio-tools (aubiopitch), the peer the pitch tracker is compared with, and sox. Idempotent.
set -euo pipefail
if command -v aubiopitch >/dev/null 2>&1 && command -v sox >/dev/null 2>&1; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends aubio-tools sox >/dev/null
command -v aubiopitch >/dev/null
