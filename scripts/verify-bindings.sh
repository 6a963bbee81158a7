#!/usr/bin/env bash
# The committed provider bindings must be exactly what `npm run get` generates from the pinned
# provider: regenerate them and fail on any difference.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/get.sh
if ! git diff --exit-code --stat -- imports/ || [[ -n "$(git status --porcelain -- imports/)" ]]; then
  echo "[bindings] imports/ differs from what npm run get generates; commit the regenerated bindings" >&2
  git status --short -- imports/ | head -20 >&2
  exit 1
fi
echo "[bindings] imports/ matches npm run get"
