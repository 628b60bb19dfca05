#!/usr/bin/env bash
# Whole-process CPU per second of audio, every configuration in one run (docs/performance.md).
#
# Each configuration runs twice under /usr/bin/time, for SHORT and LONG seconds of real-time generated audio
# (a 440 Hz sine); CPU ms per second of audio = (CPU(LONG) - CPU(SHORT)) / (LONG - SHORT), so start-up, JIT and
# shutdown cancel out. Context switches per second (voluntary + involuntary, from /usr/bin/time) use the same difference. WebSocket clients run in a separate process (not counted: /usr/bin/time wraps the server alone)
# and report payload bytes per second per client; "x no client" is the CLI's CPU over the CLI's with no client, same
# format, same run.
#
# Usage: scripts/bench-process.sh [SHORT LONG]      (defaults 4 and 24 seconds)
# BENCH_FORMATS="48000 2;192000 8" (the default) chooses the formats, BENCH_CLIENTS="0 1 10 100" (the default) the
# WebSocket client counts (0 first: it is the baseline of the ratio), BENCH_PORT the CLI's port.
# A later window (e.g. 20 50) leaves out more of the tiered JIT's work, which continues for tens of seconds after start
# on a loaded machine and is larger with clients (more code becomes hot).
set -euo pipefail
cd "$(dirname "$0")/.."
SHORT=${1:-4}
LONG=${2:-24}
PORT=${BENCH_PORT:-18790}

dotnet build -c Release tests/Friture.Streaming.Benchmarks >/dev/null
dotnet build -c Release src/Friture.Streaming.Cli >/dev/null
BENCH=tests/Friture.Streaming.Benchmarks/bin/Release/net10.0/Friture.Streaming.Benchmarks
CLI=src/Friture.Streaming.Cli/bin/Release/net10.0/friture-stream
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

# "CPU seconds;context switches" (voluntary + involuntary) of the last run.
cpu() { awk '{ printf "%.3f;%d", $1 + $2, $3 + $4 }' "$1"; }

# run_library MODE SECONDS RATE CHANNELS -> CPU seconds
run_library() {
  /usr/bin/time -o "$OUT/time" -f "%U %S %c %w" "$BENCH" process library "$1" "$2" "$3" "$4" >/dev/null
  cpu "$OUT/time"
}

# run_cli CLIENTS SECONDS RATE CHANNELS -> CPU seconds (client bytes/s in $OUT/clients)
run_cli() {
  local clients=$1 seconds=$2 rate=$3 channels=$4
  /usr/bin/time -o "$OUT/time" -f "%U %S %c %w" "$CLI" --generate sine --duration "$seconds" --port "$PORT" \
    --sample-rate "$rate" --channels "$channels" >/dev/null 2>&1 &
  local pid=$!
  : >"$OUT/clients"
  if [ "$clients" -gt 0 ]; then
    for _ in $(seq 1 100); do
      if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then break; fi
      sleep 0.1
    done
    "$BENCH" process ws-clients "ws://127.0.0.1:$PORT/ws" "$clients" "$((seconds - 2))" >"$OUT/clients" 2>/dev/null || true
  fi
  wait "$pid" || true
  cpu "$OUT/time"
}

per_second() { awk -v a="${1%;*}" -v b="${2%;*}" -v s="$SHORT" -v l="$LONG" 'BEGIN { printf "%.1f", (b - a) * 1000 / (l - s) }'; }
switches() { awk -v a="${1#*;}" -v b="${2#*;}" -v s="$SHORT" -v l="$LONG" 'BEGIN { printf "%.0f", (b - a) / (l - s) }'; }

echo "bench-process: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), audio ${SHORT} s and ${LONG} s per configuration"
printf '%-44s %14s %22s %12s %12s\n' "configuration" "CPU ms/s audio" "payload per client" "x no client" "switches/s"
IFS=';' read -r -a FORMATS <<<"${BENCH_FORMATS:-48000 2;192000 8}"
for format in "${FORMATS[@]}"; do
  set -- $format
  rate=$1 channels=$2
  label="${rate} Hz x ${channels}"
  for mode in none consumer; do
    a=$(run_library "$mode" "$SHORT" "$rate" "$channels")
    b=$(run_library "$mode" "$LONG" "$rate" "$channels")
    printf '%-44s %14s %22s %12s %12s\n' "library, $([ "$mode" = none ] && echo 'no consumer' || echo 'do-nothing consumer, all types'), $label" "$(per_second "$a" "$b")" "-" "-" "$(switches "$a" "$b")"
  done
  for clients in ${BENCH_CLIENTS:-0 1 10 100}; do
    a=$(run_cli "$clients" "$SHORT" "$rate" "$channels")
    b=$(run_cli "$clients" "$LONG" "$rate" "$channels")
    payload=$(awk '{ for (i = 1; i <= NF; i++) if ($i == "bytes_per_s_per_client") printf "%.0f kB/s", $(i + 1) / 1000 }' "$OUT/clients")
    value=$(per_second "$a" "$b")
    if [ "$clients" -eq 0 ]; then baseline=$value; fi
    ratio=$(awk -v v="$value" -v b="$baseline" 'BEGIN { if (b > 0) printf "%.2fx", v / b; else print "-" }')
    printf '%-44s %14s %22s %12s %12s\n' "CLI, $clients WebSocket clients (every type), $label" "$value" "${payload:--}" "$ratio" "$(switches "$a" "$b")"
  done
done
