#!/usr/bin/env bash
# Rewrites src/*/PublicAPI.Unshipped.txt of the five library packages to match their code: one solution build with
# RS0016/RS0017 as warnings and a SARIF log per project, then adds every symbol RS0016 reports (public but undeclared)
# and removes every line RS0017 reports (declared but gone), then builds again to check. Review the diff before
# committing: it is the API change.
#
#   ./scripts/update-public-api.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
projects="Friture.Streaming Friture.Streaming.Server Friture.Streaming.Mqtt Friture.Streaming.Osc Friture.Streaming.Hosting"

logs=$(mktemp -d)
for project in $projects; do
  for file in PublicAPI.Shipped.txt PublicAPI.Unshipped.txt; do
    [ -f "src/$project/$file" ] || printf '#nullable enable\n' > "src/$project/$file"
  done
done
dotnet build Friture.Streaming.sln -c Release --no-incremental -p:PublicApiLogDir="$logs" -p:WarningsNotAsErrors='RS0016%3BRS0017' > /dev/null 2>&1 || true

for project in $projects; do
  dir="src/$project"
  python3 - "$logs/$project.sarif" "$dir/PublicAPI.Unshipped.txt" "$dir/PublicAPI.Shipped.txt" <<'PY'
import json, re, sys
log, unshipped, shipped = sys.argv[1:4]
try:
    results = json.load(open(log))["runs"][0]["results"]
except (OSError, ValueError, KeyError, IndexError):
    sys.exit(f"no build log for {unshipped}: does the solution compile?")
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
open(unshipped, "w").write("\n".join(header + sorted(new, key=lambda s: s.replace("~", ""))) + "\n")
text = open(shipped).read().splitlines()
marked = ["*REMOVED*" + l if l in remove else l for l in text]
if marked != text:
    # Removing shipped API is a breaking change; the analyzer wants it marked, not silently dropped.
    open(shipped, "w").write("\n".join(marked) + "\n")
print(f"{unshipped}: +{len(add - body)} -{len(body & remove)}")
PY
done
rm -rf "$logs"
dotnet build Friture.Streaming.sln -c Release 2>&1 | grep -E " error RS00(16|17)|Error\(s\)" | sort -u | tail -5
