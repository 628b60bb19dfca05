#!/usr/bin/env bash
# Installs and starts a PulseAudio daemon with a null sink, for the live-capture integration tests
# (tests/Friture.Streaming.Tests/Audio/PulseAudioSourceTests.cs). Idempotent: safe to run any number of times.
set -euo pipefail

SINK_NAME="${FRITURE_TEST_SINK:-friture_test}"

if ! command -v pulseaudio >/dev/null 2>&1 || ! command -v paplay >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -print -quit 2>/dev/null)" ]; then
    apt-get update -qq
  fi
  apt-get install -y -qq pulseaudio pulseaudio-utils >/dev/null || { apt-get update -qq && apt-get install -y -qq pulseaudio pulseaudio-utils >/dev/null; }
fi

if ! pactl info >/dev/null 2>&1; then
  # As root the daemon refuses to start without --system unless told otherwise; a per-user daemon is what the tests use.
  extra=()
  if [ "$(id -u)" = "0" ]; then
    extra=(--system=false)
  fi
  pulseaudio -D --exit-idle-time=-1 --disallow-exit "${extra[@]}" \
    --load="module-null-sink sink_name=${SINK_NAME} rate=48000 channels=2 sink_properties=device.description=${SINK_NAME}" \
    --log-target=stderr >/dev/null 2>&1 || true
  for _ in $(seq 1 50); do
    pactl info >/dev/null 2>&1 && break
    sleep 0.1
  done
fi

if ! pactl list short sinks 2>/dev/null | grep -q "${SINK_NAME}"; then
  pactl load-module module-null-sink "sink_name=${SINK_NAME}" rate=48000 channels=2 >/dev/null
fi
pactl set-default-sink "${SINK_NAME}" >/dev/null 2>&1 || true
pactl info | grep -E 'Server Name|Default Sink' || true
