#!/usr/bin/env bash
# CPU of the CLI between two moments of ONE run, no client against one WebSocket client on every type, interleaved
# (docs/performance.md, "What changed in the latest stop").
#
# Each run is `friture-stream --generate sine` at 48 kHz x 2 (dashboard, WebSocket and SSE on, its plain view consuming
# every type). CPU is utime + stime of the server process from /proc/<pid>/stat at FROM and TO seconds after start, so
# start-up and the JIT's first seconds are outside the window and no two runs are subtracted; context switches are
# summed over /proc/<pid>/task/*/status. The client (`process ws-clients`, every type, network default resolution,
# JSON) runs in its own process, not counted.
#
# Usage: scripts/bench-cli-window.sh [ROUNDS FROM TO]     (defaults 3, 20, 50)
# BENCH_CLI=path/to/friture-stream measures another build (e.g. a worktree of an earlier commit); BENCH_PORT the port.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
FROM=${2:-20}
TO=${3:-50}
PORT=${BENCH_PORT:-18795}
dotnet build -c Release tests/Friture.Streaming.Benchmarks >/dev/null
if [ -z "${BENCH_CLI:-}" ]; then
  dotnet build -c Release src/Friture.Streaming.Cli >/dev/null
fi
CLI=${BENCH_CLI:-src/Friture.Streaming.Cli/bin/Release/net10.0/friture-stream}
BENCH=tests/Friture.Streaming.Benchmarks/bin/Release/net10.0/Friture.Streaming.Benchmarks
HZ=$(getconf CLK_TCK)

ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
switches() { cat /proc/"$1"/task/*/status 2>/dev/null | awk '/ctxt_switches/ { s += $2 } END { print s }'; }

# run CLIENTS -> "CPU ms/s;switches/s"
run() {
  "$CLI" --generate sine --duration $((TO + 3)) --port "$PORT" >/dev/null 2>&1 &
  local pid=$! start
  start=$(date +%s.%N)
  if [ "$1" -gt 0 ]; then
    for _ in $(seq 1 100); do
      if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then break; fi
      sleep 0.1
    done
    "$BENCH" process ws-clients "ws://127.0.0.1:$PORT/ws" "$1" $((TO + 1)) >/dev/null 2>&1 &
  fi
  sleep "$(awk -v s="$start" -v f="$FROM" -v n="$(date +%s.%N)" 'BEGIN { d = s + f - n; print (d > 0 ? d : 0) }')"
  local a sa ta b sb tb
  a=$(ticks "$pid"); sa=$(switches "$pid"); ta=$(date +%s.%N)
  sleep $((TO - FROM))
  b=$(ticks "$pid"); sb=$(switches "$pid"); tb=$(date +%s.%N)
  wait "$pid" || true
  wait || true
  awk -v a="$a" -v b="$b" -v ta="$ta" -v tb="$tb" -v k="$HZ" -v sa="$sa" -v sb="$sb" \
    'BEGIN { printf "%.1f;%.0f", (b - a) * 1000 / k / (tb - ta), (sb - sa) / (tb - ta) }'
}

echo "bench-cli-window: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), window ${FROM}-${TO} s, $CLI"
printf '%-8s %16s %14s %16s %14s %8s\n' round "none: CPU ms/s" "switches/s" "one: CPU ms/s" "switches/s" ratio
for r in $(seq 1 "$ROUNDS"); do
  none=$(run 0)
  one=$(run 1)
  ratio=$(awk -v a="${none%;*}" -v b="${one%;*}" 'BEGIN { printf "%.2f", b / a }')
  printf '%-8s %16s %14s %16s %14s %8s\n' "$r" "${none%;*}" "${none#*;}" "${one%;*}" "${one#*;}" "$ratio"
done
