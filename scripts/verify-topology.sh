#!/usr/bin/env bash
# TOPOLOGY.md's Mermaid diagrams parse with mermaid itself (issue 14, pictures).
#
#   bash scripts/verify-topology.sh
#
# Installs the pinned mermaid + jsdom from the npm registry into .cache/mermaid (once), then parses
# the diagram of every dist/*/TOPOLOGY.md and README.md, and those synth writes for the accepted
# fixtures (dedicated load balancers among them) and for lab grown to 300 workers (folded boxes).
# A broken control diagram must be rejected (scripts/topology/parse.mjs).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" || exit 1
CHECK_NAME=verify-topology
# shellcheck source=scripts/lib/check-report.sh
source "$ROOT/scripts/lib/check-report.sh"
MERMAID_VERSION=11.17.2
JSDOM_VERSION=29.1.1
export MERMAID_DIR="$ROOT/.cache/mermaid"

if [[ "$(node -p "try { require('$MERMAID_DIR/node_modules/mermaid/package.json').version } catch { '' }" 2>/dev/null)" != "$MERMAID_VERSION" ]]; then
  log "installing mermaid $MERMAID_VERSION and jsdom $JSDOM_VERSION into .cache/mermaid"
  mkdir -p "$MERMAID_DIR" && echo '{"private":true}' >"$MERMAID_DIR/package.json"
  npm install --prefix "$MERMAID_DIR" --no-audit --no-fund --no-save "mermaid@$MERMAID_VERSION" "jsdom@$JSDOM_VERSION" >&2 || die "npm install mermaid failed"
fi
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
node scripts/lib/scale-spec.js 300 >"$WORK/scale-300.yaml"
for spec in test/fixtures/accept/*.yaml "$WORK/scale-300.yaml"; do
  name="$(basename "$spec" .yaml)"
  node lib/bundle/synth.js --spec "$spec" --out "$WORK/$name" >/dev/null 2>"$WORK/$name.err" || { cat "$WORK/$name.err" >&2; die "synth $spec failed"; }
done
log "parsing $(find dist "$WORK" -name TOPOLOGY.md | wc -l) TOPOLOGY.md files and README.md"
while read -r line; do
  report "${line%% *}" "topology" "${line#* }"
done < <(node scripts/topology/parse.mjs dist/*/TOPOLOGY.md $(find "$WORK" -name TOPOLOGY.md | sort) README.md)
finish
