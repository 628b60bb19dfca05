#!/usr/bin/env bash
# Rewrites src/*/PublicAPI.Unshipped.txt of the five library packages to match their code: builds each package (in
# dependency order) with a SARIF error log, adds every symbol reported by RS0016 (public but undeclared) and removes
# every line reported by RS0017 (declared but gone). Review the diff before committing: it is the API change.
#
#   ./scripts/update-public-api.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

for project in ${PROJECTS:-Friture.Streaming Friture.Streaming.Server Friture.Streaming.Mqtt Friture.Streaming.Osc Friture.Streaming.Hosting}; do
  dir="src/$project"
  for file in PublicAPI.Shipped.txt PublicAPI.Unshipped.txt; do
    [ -f "$dir/$file" ] || printf '#nullable enable\n' > "$dir/$file"
  done
  for pass in 1 2; do
    log=$(mktemp --suffix=.sarif)
    dotnet build "$dir/$project.csproj" -c Release -p:ErrorLog="$log" > /dev/null 2>&1 || true
    changed=$(python3 - "$log" "$dir/PublicAPI.Unshipped.txt" "$dir/PublicAPI.Shipped.txt" <<'PY'
import json, re, sys
log, unshipped, shipped = sys.argv[1:4]
try:
    results = json.load(open(log))["runs"][0]["results"]
except (OSError, ValueError, KeyError, IndexError):
    results = []
add, remove = set(), set()
for r in results:
    props = r.get("properties", {}).get("customProperties", {})
    if r.get("ruleId") == "RS0016" and props.get("APIName"):
        add.add(props["APIName"])
        for sibling in filter(None, props.get("ApiNamesOfSiblingsToRemove", "").split(";#")):
            remove.add(sibling)
    elif r.get("ruleId") == "RS0017":
        m = re.search(r"Symbol '(.*)' is part of the declared API", r.get("message", ""))
        if m:
            remove.add(m.group(1))
lines = [l for l in open(unshipped).read().splitlines() if l.strip()]
header = [l for l in lines if l.startswith("#")] or ["#nullable enable"]
body = {l for l in lines if not l.startswith("#")}
new = (body - remove) | add
if new != body:
    open(unshipped, "w").write("\n".join(header + sorted(new, key=lambda s: s.replace("~", ""))) + "\n")
    print("changed")
if remove:
    # A removed symbol may be in the shipped file too: that is a breaking change, marked as the analyzer expects.
    text = open(shipped).read().splitlines()
    kept = [l if l not in remove else "*REMOVED*" + l for l in text]
    if kept != text:
        open(shipped, "w").write("\n".join(kept) + "\n")
        print("changed")
PY
)
    rm -f "$log"
    [ -z "$changed" ] && break
  done
  echo "$project: $(grep -vc '^#' "$dir/PublicAPI.Unshipped.txt") unshipped, $(grep -vc '^#' "$dir/PublicAPI.Shipped.txt") shipped entries"
done
dotnet build Friture.Streaming.sln -c Release 2>&1 | grep -E " error RS00(16|17)|Warn|Error\(s\)" | sort -u | tail -5
