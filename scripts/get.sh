#!/usr/bin/env bash
# Regenerates the CDKTF provider bindings under imports/ (npm run get).
#
# Builds the pinned tools (scripts/tools.sh), then runs `cdktf get` with the
# project-built terraform first in PATH and TF_CLI_CONFIG_FILE pointing at the
# offline filesystem mirror, so provider schemas come from our own
# bpg/proxmox build and never from the network or a system terraform.
#
# The provider constraint in cdktf.json ("terraformProviders") must match
# tools/versions.json; this script fails loudly if it does not.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
LOG_TAG=get
# shellcheck source=scripts/lib/log.sh
source "${ROOT}/scripts/lib/log.sh"

bash "${ROOT}/scripts/tools.sh"
# shellcheck source=scripts/tools-env.sh
source "${ROOT}/scripts/tools-env.sh"

TF="${PVE_K8S_TOOLS_DIR}/bin/terraform"
[[ -x "$TF" ]] || die "$TF missing after scripts/tools.sh"
[[ "$(command -v terraform)" == "$TF" ]] || die "terraform in PATH is $(command -v terraform), expected $TF"
# cdktf-cli resolves terraform via $TERRAFORM_BINARY_NAME || "terraform" in PATH.
export TERRAFORM_BINARY_NAME="$TF"
export CHECKPOINT_DISABLE=1 DISABLE_VERSION_CHECK=1 CI=1 FORCE_COLOR=0

want="$(node -p 'require("./tools/versions.json").proxmoxProvider')"
have="$(node -p 'JSON.stringify(require("./cdktf.json").terraformProviders)')"
[[ "$have" == "[\"bpg/proxmox@= ${want}\"]" ]] \
  || die "cdktf.json terraformProviders is ${have}, expected [\"bpg/proxmox@= ${want}\"] (tools/versions.json)"

log "cdktf get (bpg/proxmox ${want}, $("$TF" version | head -1)) ..."
t0=$(date +%s)
# NOTE: never use `cdktf get --force`: it deletes the whole codeMakerOutput
# directory (imports/), which also holds the cdk8s CRD imports. Instead remove
# only what cdktf owns (imports/providers, imports/constraints.json) so every
# run regenerates from scratch and the output is deterministic.
rm -rf imports/providers imports/modules imports/constraints.json
npx --no-install cdktf get --language typescript
log "bindings generated in $(( $(date +%s) - t0 ))s: $(du -sh imports/providers | cut -f1) under imports/providers/ (cdktf lays bpg/proxmox out as imports/providers/proxmox)"
