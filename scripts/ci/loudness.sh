#!/usr/bin/env bash
# Installs the references the loudness meter is checked against (libebur128 through P/Invoke, ffmpeg's ebur128
# filter) and the tools that make its programme material (espeak-ng speech, sox music). Idempotent.
set -euo pipefail
have_all() {
  ldconfig -p 2>/dev/null | grep -q 'libebur128\.so\.1 ' \
    && command -v ffmpeg >/dev/null 2>&1 \
    && command -v espeak-ng >/dev/null 2>&1 \
    && command -v sox >/dev/null 2>&1 \
    && command -v soxi >/dev/null 2>&1
}
if have_all; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends libebur128-1 ffmpeg espeak-ng sox >/dev/null
have_all
