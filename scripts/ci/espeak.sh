#!/usr/bin/env bash
# Installs espeak-ng (speech for the delay estimator's speech tests) and sox (resampling it to 48 kHz). Idempotent.
set -euo pipefail
if command -v espeak-ng >/dev/null 2>&1 && command -v sox >/dev/null 2>&1; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends espeak-ng sox >/dev/null
command -v espeak-ng >/dev/null
