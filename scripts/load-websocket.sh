#!/usr/bin/env bash
# WebSocket load test (issue 12; an explicit test, not part of CI): CLIENTS WebSocket clients subscribed to levels
# and fft_spectrum (network default resolution, JSON) on `friture-stream --generate sine` for SECONDS.
#
# Reports, from one run:
#   server: CPU ms per second of wall clock while the clients were connected (utime + stime from /proc/<pid>/stat,
#           read when the clients start and when they stop), peak RSS (VmHWM), and its stop summary (messages sent and
#           dropped per protocol, from the server's own statistics);
#   clients (a separate process, not counted in the server's CPU): messages per client, payload per client, and
#           sequence gaps (per-type sequence_number breaks: messages the server did not deliver to that client).
# A sample of the server's CPU and RSS every 30 s goes to the log as well.
#
# Usage: scripts/load-websocket.sh [CLIENTS SECONDS]      (defaults 100 and 600)
# Exit status: 0 when no client saw a gap or failed and the server dropped nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
CLIENTS=${1:-100}
SECONDS_RUN=${2:-600}
PORT=${LOAD_PORT:-18795}
OUT=${LOAD_OUT:-$(mktemp -d)}
mkdir -p "$OUT"

if [ -z "${LOAD_NO_BUILD:-}" ]; then
  dotnet build -c Release tests/Friture.Streaming.Benchmarks >/dev/null
  dotnet build -c Release src/Friture.Streaming.Cli >/dev/null
fi
BENCH=${LOAD_BENCH:-tests/Friture.Streaming.Benchmarks/bin/Release/net10.0/Friture.Streaming.Benchmarks}
CLI=${LOAD_CLI:-src/Friture.Streaming.Cli/bin/Release/net10.0/friture-stream}
TICKS=$(getconf CLK_TCK)

"$CLI" --generate sine --duration "$((SECONDS_RUN + 8))" --port "$PORT" --view plain --interval 60 \
  --max-clients-per-address 1000 >"$OUT/server.out" 2>"$OUT/server.err" &
server=$!
for _ in $(seq 1 300); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then break; fi
  sleep 0.1
done

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$server/stat"; }
rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$server/status"; }
hwm_kb() { awk '/^VmHWM/ { print $2 }' "/proc/$server/status"; }

sleep 2
start_ticks=$(cpu_ticks)
start_time=$(date +%s.%N)
"$BENCH" process ws-load "ws://127.0.0.1:$PORT/ws?types=levels,fft_spectrum" "$CLIENTS" "$SECONDS_RUN" >"$OUT/clients.out" 2>"$OUT/clients.err" &
clients=$!
(
  while kill -0 "$clients" 2>/dev/null; do
    sleep 30
    kill -0 "$server" 2>/dev/null || break
    echo "$(date -u +%H:%M:%S) server cpu_s $(awk -v t="$(cpu_ticks)" -v k="$TICKS" 'BEGIN { printf "%.1f", t / k }') rss_kb $(rss_kb) load $(cut -d' ' -f1 /proc/loadavg)"
  done
) >"$OUT/samples.log" &
sampler=$!
client_status=0
wait "$clients" || client_status=$?
end_ticks=$(cpu_ticks)
end_time=$(date +%s.%N)
peak_rss=$(hwm_kb)
kill "$sampler" 2>/dev/null || true
wait "$server" || true

cpu_ms_per_s=$(awk -v a="$start_ticks" -v b="$end_ticks" -v k="$TICKS" -v s="$start_time" -v e="$end_time" \
  'BEGIN { printf "%.1f", (b - a) / k * 1000 / (e - s) }')
echo "load test: $CLIENTS WebSocket clients on levels,fft_spectrum for $SECONDS_RUN s ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average at end $(cut -d' ' -f1-3 /proc/loadavg))"
echo "server: CPU $cpu_ms_per_s ms/s while the clients were connected, peak RSS $((peak_rss / 1024)) MiB"
echo "server stop summary:"
grep -i "stopped after\|dropped" "$OUT/server.err" "$OUT/server.out" | sed 's/^[^:]*://; s/^/  /' || true
echo "clients: $(tail -n 1 "$OUT/clients.out")"
cat "$OUT/samples.log"
echo "logs in $OUT"
if [ "$client_status" -ne 0 ] || grep -q "dropped by" "$OUT/server.err" "$OUT/server.out"; then
  exit 1
fi
