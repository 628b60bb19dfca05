#!/usr/bin/env bash
# Installs Wine 8 (64-bit) and what the Windows-capture integration tests need
# (tests/Friture.Streaming.Hosting.Tests/Audio/WindowsCaptureUnderWineTests.cs): they publish friture-stream for win-x64
# and run it under Wine, whose audio driver talks to the PulseAudio daemon started by scripts/ci/pulseaudio.sh. This
# script makes sure that daemon runs, loads a null sink of its own ($FRITURE_WINE_SINK, default friture_wine) so the
# Wine tests never share a sink with the Linux capture tests, and creates the Wine prefix once
# ($FRITURE_WINE_DIR/prefix, default /tmp/friture-wine/prefix; 10 to 20 s the first time). Idempotent.
set -euo pipefail
cd "$(dirname "$0")"

DIR="${FRITURE_WINE_DIR:-/tmp/friture-wine}"
SINK_NAME="${FRITURE_WINE_SINK:-friture_wine}"

if ! command -v wine >/dev/null 2>&1 || [ ! -x /usr/lib/wine/wine64 ] || ! command -v sox >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq wine wine64 sox >/dev/null \
    || { apt-get update -qq && apt-get install -y -qq wine wine64 sox >/dev/null; }
fi

bash ./pulseaudio.sh >/dev/null

if ! pactl list short sinks 2>/dev/null | grep -q "${SINK_NAME}"; then
  pactl load-module module-null-sink "sink_name=${SINK_NAME}" rate=48000 channels=2 \
    "sink_properties=device.description=${SINK_NAME}" >/dev/null
fi

mkdir -p "$DIR"
if [ ! -f "$DIR/prefix/system.reg" ]; then
  # Never set WINEDLLOVERRIDES=mscoree= here: it stops .NET from starting in the prefix.
  WINEPREFIX="$DIR/prefix" WINEDEBUG=-all wineboot -i >/dev/null 2>&1 || true
  WINEPREFIX="$DIR/prefix" wineserver -w || true
fi
echo "wine: $(wine --version), prefix $DIR/prefix, sink ${SINK_NAME}"
