#!/usr/bin/env bash
# Installs python3 and numpy for the independent binary-frame decoder (tests/Friture.Streaming.Server.Tests/
# Serialization/decode_frame.py), which the Server tests run as a separate process. Idempotent.
set -euo pipefail
if /usr/bin/python3 -c 'import numpy' >/dev/null 2>&1; then
  echo "python-numpy.sh: python3 and numpy already installed"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q python3 python3-numpy
