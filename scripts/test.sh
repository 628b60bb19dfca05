#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: installs and starts what the integration tests need
# (scripts/ci/*.sh), runs every test project, and ends with one plain totals line.
#
#   ./scripts/test.sh          the full suite (unit and integration tests)
#   ./scripts/test.sh --fast   unit tests only: no setup scripts, tests marked [Trait("Category", "Integration")]
#                              (programs, daemons, sockets, browsers) left out; same totals line
#
# Other arguments go to `dotnet test`.
set -uo pipefail
cd "$(dirname "$0")/.."

fast=0
if [ "${1:-}" = "--fast" ]; then
  fast=1
  shift
fi

if [ "$fast" -eq 0 ]; then
  for setup in scripts/ci/*.sh; do
    [ -e "$setup" ] || continue
    echo "== setup: $setup"
    if ! bash "$setup"; then
      echo "setup script $setup failed" >&2
      exit 1
    fi
  done
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
log=$(mktemp)
if [ "$fast" -eq 1 ]; then
  dotnet test --solution Friture.Streaming.sln -c Release "$@" -- --filter-not-trait "Category=Integration" 2>&1 | tee "$log"
else
  dotnet test --solution Friture.Streaming.sln -c Release "$@" 2>&1 | tee "$log"
fi
status=${PIPESTATUS[0]}

# Microsoft.Testing.Platform prints one summary for the whole run.
total=$(grep -E '^\s+total: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+')
failed=$(grep -E '^\s+failed: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+')
passed=$(grep -E '^\s+succeeded: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+')
skipped=$(grep -E '^\s+skipped: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+')
rm -f "$log"
total=${total:-0}; failed=${failed:-0}; passed=${passed:-0}; skipped=${skipped:-0}

echo "tests: ${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$total" -eq 0 ]; then
  echo "no test was executed" >&2
  exit 1
fi
# Exit code 8 means some test project ran zero tests; the totals above already guard against an empty run.
if [ "$status" -eq 8 ] && [ "$failed" -eq 0 ]; then
  status=0
fi
exit "$status"
