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
# BENCH_CLI=path/to/friture-stream measures another build (e.g. a worktree of an earlier commit); BENCH_PORT the port;
# BENCH_QUERY a query string for the client (e.g. "?linger_ms=50").
#
# BENCH_PAIRED=1: the two CLIs of a round run AT THE SAME TIME (two ports, started together, the client on one of them,
# alternating which), and both are read at the same two moments. On a shared VM the CPU time of identical runs moves by
# +-20 % from minute to minute (neighbours, the JIT's timing); run side by side, both sides see the same minute, so the
# ratio is much steadier. The two CLIs and the client together use under a tenth of one core, so they do not compete
# for the two cores.
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
    "$BENCH" process ws-clients "ws://127.0.0.1:$PORT/ws${BENCH_QUERY:-}" "$1" $((TO + 1)) >/dev/null 2>&1 &
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

# paired round R -> "none CPU;switches one CPU;switches"
paired() {
  local p0=$PORT p1=$((PORT + 1))
  if [ $(( $1 % 2 )) -eq 0 ]; then p0=$((PORT + 1)); p1=$PORT; fi
  "$CLI" --generate sine --duration $((TO + 3)) --port "$p0" >/dev/null 2>&1 &
  local none=$!
  "$CLI" --generate sine --duration $((TO + 3)) --port "$p1" >/dev/null 2>&1 &
  local one=$! start
  start=$(date +%s.%N)
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$p1") 2>/dev/null; then break; fi
    sleep 0.1
  done
  "$BENCH" process ws-clients "ws://127.0.0.1:$p1/ws${BENCH_QUERY:-}" 1 $((TO + 1)) >/dev/null 2>&1 &
  local client=$!
  sleep "$(awk -v s="$start" -v f="$FROM" -v n="$(date +%s.%N)" 'BEGIN { d = s + f - n; print (d > 0 ? d : 0) }')"
  local a0 a1 s0 s1 ta b0 b1 e0 e1 tb
  a0=$(ticks "$none"); a1=$(ticks "$one"); s0=$(switches "$none"); s1=$(switches "$one"); ta=$(date +%s.%N)
  sleep $((TO - FROM))
  b0=$(ticks "$none"); b1=$(ticks "$one"); e0=$(switches "$none"); e1=$(switches "$one"); tb=$(date +%s.%N)
  wait "$none" "$one" "$client" || true
  awk -v a0="$a0" -v b0="$b0" -v a1="$a1" -v b1="$b1" -v s0="$s0" -v e0="$e0" -v s1="$s1" -v e1="$e1" -v ta="$ta" -v tb="$tb" -v k="$HZ" \
    'BEGIN { d = tb - ta; printf "%.1f;%.0f %.1f;%.0f", (b0 - a0) * 1000 / k / d, (e0 - s0) / d, (b1 - a1) * 1000 / k / d, (e1 - s1) / d }'
}

echo "bench-cli-window: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), window ${FROM}-${TO} s, $([ "${BENCH_PAIRED:-0}" = 1 ] && echo "paired (side by side)" || echo "one after the other"), $CLI"
rows=""
printf '%-8s %16s %14s %16s %14s %8s\n' round "none: CPU ms/s" "switches/s" "one: CPU ms/s" "switches/s" ratio
for r in $(seq 1 "$ROUNDS"); do
  if [ "${BENCH_PAIRED:-0}" = 1 ]; then
    read -r none one <<<"$(paired "$r")"
  else
    none=$(run 0)
    one=$(run 1)
  fi
  ratio=$(awk -v a="${none%;*}" -v b="${one%;*}" 'BEGIN { printf "%.2f", b / a }')
  printf '%-8s %16s %14s %16s %14s %8s\n' "$r" "${none%;*}" "${none#*;}" "${one%;*}" "${one#*;}" "$ratio"
  rows+="${none%;*} ${one%;*} $ratio"$'\n'
done
# Summary: mean CPU of each side, their ratio, and the median and quartiles of the per-round ratios.
printf '%s' "$rows" | sort -k3 -g | awk '
  { n++; a += $1; b += $2; r[n] = $3 }
  END {
    if (n == 0) exit
    lo = r[int((n + 3) / 4)]; mid = (n % 2) ? r[(n + 1) / 2] : (r[n / 2] + r[n / 2 + 1]) / 2; hi = r[n - int((n + 3) / 4) + 1]
    printf "summary: %d rounds, mean none %.1f ms/s, mean one %.1f ms/s, ratio of means %.2f, per-round ratio median %.2f (quartiles %.2f .. %.2f)\n", n, a / n, b / n, b / a, mid, lo, hi
  }'
