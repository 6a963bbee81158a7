#!/usr/bin/env bash
# Day-2 check of npm run verify, with the project-built Terraform 1.8.5 and bpg/proxmox, offline:
# a day-1 state built from the base plan's planned values (clusters/lab.yaml), then each change
# class of scripts/day2/classes.js planned with -refresh=false; prints the create/update/replace/
# delete table and fails if an existing VM, snippet or secret would be replaced or deleted (a
# removed node excepted), if a new control plane's join secrets differ from those the state's
# seeds give (scripts/day2/secrets.js, both seed generations), or if a negative control (a pool
# rename, unfrozen seeds, a changed derivation) is not flagged.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
LOG_TAG=verify-day2
# shellcheck source=scripts/lib/log.sh
source "${ROOT}/scripts/lib/log.sh"

bash scripts/tools.sh
# shellcheck source=scripts/tools-env.sh
source scripts/tools-env.sh
unset TF_PLUGIN_CACHE_DIR TF_DATA_DIR TF_WORKSPACE
# The synth bundle must match the sources (npm run verify builds it in its synth step).
if [[ ! -f lib/bundle/synth.js ]] || [[ -n "$(find bin infra spec facts cloud-init manifests format -name '*.ts' -newer lib/bundle/synth.js -print -quit)" ]]; then
  log "building lib/ (sources are newer than lib/bundle/synth.js)"
  npm run --silent build
fi
WORK="$(mktemp -d "${TMPDIR:-/tmp}/verify-day2.XXXXXX")"
# DAY2_KEEP=1 keeps the work folder (specs, stacks, state, each class's plan JSON) for debugging.
if [[ -n "${DAY2_KEEP:-}" ]]; then log "keeping $WORK"; else trap 'rm -rf "$WORK"' EXIT; fi
TF="${PVE_K8S_TOOLS_DIR}/bin/terraform" node scripts/day2/check.js "$WORK"
