#!/usr/bin/env bash
# Installs and starts PipeWire with its PulseAudio server (pipewire-pulse) and WirePlumber, isolated from the classic
# pulseaudio daemon the other tests use: its own D-Bus session, XDG_RUNTIME_DIR, XDG_CONFIG_HOME and XDG_STATE_HOME under
# $FRITURE_PIPEWIRE_DIR (default /tmp/friture-pipewire). Clients reach it with
#   PULSE_SERVER=unix:$FRITURE_PIPEWIRE_DIR/run/pulse/native
# (tests/Friture.Streaming.Tests/Audio/PipeWireCaptureTests.cs). A null sink named $FRITURE_PIPEWIRE_SINK (default
# friture_pw) is loaded. Idempotent: safe to run any number of times. Stop it with: scripts/ci/pipewire.sh stop
set -euo pipefail

DIR="${FRITURE_PIPEWIRE_DIR:-/tmp/friture-pipewire}"
SINK_NAME="${FRITURE_PIPEWIRE_SINK:-friture_pw}"
RUN="$DIR/run"
export XDG_RUNTIME_DIR="$RUN" XDG_CONFIG_HOME="$DIR/config" XDG_STATE_HOME="$DIR/state"
export PULSE_SERVER="unix:$RUN/pulse/native"
export DBUS_SESSION_BUS_ADDRESS="unix:path=$DIR/bus"

stop() {
  for name in pipewire-pulse wireplumber pipewire dbus; do
    if [ -f "$DIR/$name.pid" ]; then
      kill -TERM "$(cat "$DIR/$name.pid")" 2>/dev/null || true
      rm -f "$DIR/$name.pid"
    fi
  done
}

if [ "${1:-}" = "stop" ]; then
  stop
  exit 0
fi

if ! command -v pipewire >/dev/null 2>&1 || ! command -v pipewire-pulse >/dev/null 2>&1 \
  || ! command -v wireplumber >/dev/null 2>&1 || ! command -v dbus-daemon >/dev/null 2>&1 || ! command -v pactl >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq pipewire pipewire-pulse wireplumber dbus pulseaudio-utils >/dev/null \
    || { apt-get update -qq && apt-get install -y -qq pipewire pipewire-pulse wireplumber dbus pulseaudio-utils >/dev/null; }
fi

if pactl info >/dev/null 2>&1; then
  :
else
  stop
  mkdir -p "$RUN" "$XDG_CONFIG_HOME" "$XDG_STATE_HOME"
  chmod 700 "$RUN"
  rm -f "$DIR/bus" "$RUN/pipewire-0" "$RUN/pipewire-0.lock"
  dbus-daemon --session --address="$DBUS_SESSION_BUS_ADDRESS" --nofork --nopidfile >"$DIR/dbus.log" 2>&1 &
  echo $! >"$DIR/dbus.pid"
  for _ in $(seq 1 50); do [ -S "$DIR/bus" ] && break; sleep 0.1; done
  setsid pipewire >"$DIR/pipewire.log" 2>&1 &
  echo $! >"$DIR/pipewire.pid"
  for _ in $(seq 1 100); do [ -S "$RUN/pipewire-0" ] && break; sleep 0.1; done
  setsid wireplumber >"$DIR/wireplumber.log" 2>&1 &
  echo $! >"$DIR/wireplumber.pid"
  setsid pipewire-pulse >"$DIR/pipewire-pulse.log" 2>&1 &
  echo $! >"$DIR/pipewire-pulse.pid"
  for _ in $(seq 1 100); do pactl info >/dev/null 2>&1 && break; sleep 0.1; done
fi

if ! pactl list short sinks 2>/dev/null | grep -q "$SINK_NAME"; then
  pactl load-module module-null-sink "sink_name=$SINK_NAME" rate=48000 channels=2 >/dev/null
  # WirePlumber links the new sink asynchronously; wait until its monitor source is there.
  for _ in $(seq 1 50); do pactl list short sources 2>/dev/null | grep -q "$SINK_NAME.monitor" && break; sleep 0.1; done
fi
pactl info | grep -E 'Server Name|Server String' || true
