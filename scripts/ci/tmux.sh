#!/usr/bin/env bash
# Installs tmux: the pseudo-terminal in which LiveViewTerminalTests runs friture-stream's live view and reads the
# screen back (capture-pane). Idempotent: does nothing when tmux is already there.
set -euo pipefail

if command -v tmux >/dev/null 2>&1; then
  echo "tmux.sh: $(tmux -V) already installed"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "tmux.sh: tmux missing and not root; skipping (the live-view terminal test will fail under CI=true)" >&2
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq --no-install-recommends tmux >/dev/null \
  || { apt-get update -qq && apt-get install -y -qq --no-install-recommends tmux >/dev/null; }
echo "tmux.sh: installed $(tmux -V)"
