#!/usr/bin/env bash
# Deploy check of npm run verify: the README's deploy commands, offline, with the pinned Terraform
# and OpenTofu from scripts/tools.sh, as far as reaching the Proxmox VE endpoint.
#
#   source scripts/tools-env.sh; export PROXMOX_VE_API_TOKEN=... PROXMOX_VE_SSH_USERNAME=root PROXMOX_VE_SSH_AGENT=true
#   npm run diff -- lab          (preflight, then `cdktf diff lab`)    must plan: "Plan: N to add"
#   npm run deploy -- lab        (preflight, then `cdktf deploy lab`)  must get as far as the API:
#                                 connection refused, never a lock or init error
# once with Terraform and once with TERRAFORM_BINARY_NAME=tofu (deploy only: it plans first).
# clusters/lab.yaml is used with its endpoint set to https://127.0.0.1:1/ (nothing listens there),
# synthesized into a scratch --output folder (its state lands in the scratch folder too); every
# other network request goes to a dead loopback proxy, so a registry lookup fails instead of leaving
# the machine. Negative controls: without CDKTF_SKIP_PROVIDER_LOCK (tools-env.sh sets it) cdktf
# diff must fail on `providers lock`; without PROXMOX_VE_SSH_USERNAME the preflight must stop
# before Terraform runs.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
log() { printf '[verify-deploy] %s\n' "$*" >&2; }
die() { printf '[verify-deploy] ERROR: %s\n' "$*" >&2; exit 1; }

bash scripts/tools.sh
# shellcheck source=scripts/tools-env.sh
source scripts/tools-env.sh
unset TF_PLUGIN_CACHE_DIR TF_DATA_DIR TF_WORKSPACE TERRAFORM_BINARY_NAME
WORK="$(mktemp -d "${TMPDIR:-/tmp}/verify-deploy.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# The README's environment (a well-formed token that no server knows; no agent is running).
export PROXMOX_VE_API_TOKEN='terraform@pve!verify=00000000-0000-0000-0000-000000000000'
export PROXMOX_VE_SSH_USERNAME=root PROXMOX_VE_SSH_AGENT=true SSH_AUTH_SOCK="$WORK/no-agent.sock"
export HTTPS_PROXY=http://127.0.0.1:1 HTTP_PROXY=http://127.0.0.1:1 NO_PROXY='' FORCE_COLOR=0
export PVE_K8S_CLUSTERS_DIR="$WORK/clusters"
mkdir -p "$PVE_K8S_CLUSTERS_DIR"
sed 's#^  endpoint: https://.*#  endpoint: https://127.0.0.1:1/#' clusters/lab.yaml >"$PVE_K8S_CLUSTERS_DIR/lab.yaml"
grep -q '^  endpoint: https://127.0.0.1:1/$' "$PVE_K8S_CLUSTERS_DIR/lab.yaml" || die "could not point lab.yaml at 127.0.0.1:1"

# run <log> <npm script> <dir> [option]: the command's exit code; its output, without colours, in
# <log>. Synthesized into <dir>/cdktf.out, so the stack's local state lands in <dir>/state.
run() {
  local out=$1 script=$2 dir=$3 rc=0
  mkdir -p "$dir"
  npm run --silent "$script" -- lab --output "$dir/cdktf.out" ${4:+"$4"} </dev/null >"$out.raw" 2>&1 || rc=$?
  sed 's/\x1b\[[0-9;]*[A-Za-z]//g' "$out.raw" >"$out"
  return "$rc"
}
no_lock_or_init_error() {
  ! grep -E 'Could not retrieve providers for locking|terraform init failed|Failed to query available provider' "$1"
}

t0=$(date +%s)
TERRAFORM_BINARY_NAME=terraform run "$WORK/terraform-diff.log" diff "$WORK/terraform" \
  || { tail -40 "$WORK/terraform-diff.log" >&2; die "terraform: npm run diff -- lab failed"; }
plan=$(grep -m1 -oE 'Plan: [0-9]+ to add, 0 to change, 0 to destroy' "$WORK/terraform-diff.log") \
  || { tail -40 "$WORK/terraform-diff.log" >&2; die "terraform: cdktf diff printed no plan"; }
log "terraform: npm run diff -- lab: $plan ($(( $(date +%s) - t0 ))s)"

# The deploys wait mostly on the provider's retries against the dead endpoint (about 90 s for
# the snippets), not on the CPU: both binaries, and the lock negative control, run side by side.
t0=$(date +%s)
declare -A rc=() pids=()
for bin in terraform tofu; do
  TERRAFORM_BINARY_NAME=$bin run "$WORK/$bin-deploy.log" deploy "$WORK/$bin" --auto-approve &
  pids[$bin]=$!
done
CDKTF_SKIP_PROVIDER_LOCK='' TERRAFORM_BINARY_NAME=terraform run "$WORK/lock.log" diff "$WORK/lock" &
pids[lock]=$!
for k in terraform tofu lock; do rc[$k]=0; wait "${pids[$k]}" || rc[$k]=$?; done
for bin in terraform tofu; do
  [[ ${rc[$bin]} -ne 0 ]] || die "$bin: npm run deploy -- lab succeeded against https://127.0.0.1:1/"
  no_lock_or_init_error "$WORK/$bin-deploy.log" >/dev/null || { tail -40 "$WORK/$bin-deploy.log" >&2; die "$bin: deploy failed on the provider lock or init"; }
  grep -q 'dial tcp 127.0.0.1:1: connect: connection refused' "$WORK/$bin-deploy.log" \
    || { tail -40 "$WORK/$bin-deploy.log" >&2; die "$bin: deploy failed without reaching the Proxmox VE endpoint"; }
  grep -q "^preflight: ok: .* $bin [0-9.]*$" "$WORK/$bin-deploy.log" || die "$bin: the preflight did not run"
  log "$bin: npm run deploy -- lab reached https://127.0.0.1:1/ (connection refused), no lock or init error"
done
log "negative control: cdktf diff without CDKTF_SKIP_PROVIDER_LOCK must fail on providers lock"
[[ ${rc[lock]} -ne 0 ]] || die "negative control: diff succeeded without CDKTF_SKIP_PROVIDER_LOCK"
grep -q 'Could not retrieve providers for locking' "$WORK/lock.log" || { tail -30 "$WORK/lock.log" >&2; die "negative control failed for another reason"; }
log "negative control rejected: Could not retrieve providers for locking (deploys and control: $(( $(date +%s) - t0 ))s)"

log "negative control: the preflight must stop a deploy without PROXMOX_VE_SSH_USERNAME before Terraform runs"
if PROXMOX_VE_SSH_USERNAME='' run "$WORK/preflight.log" deploy "$WORK/preflight" --auto-approve; then die "negative control: deploy went ahead"; fi
grep -q 'PROXMOX_VE_SSH_USERNAME is not set' "$WORK/preflight.log" || { cat "$WORK/preflight.log" >&2; die "the preflight did not name PROXMOX_VE_SSH_USERNAME"; }
[[ ! -e "$WORK/preflight/cdktf.out" ]] || die "the preflight let cdktf synthesize into $WORK/preflight"
log "negative control rejected: $(grep -m1 'PROXMOX_VE_SSH_USERNAME' "$WORK/preflight.log" | sed 's/^ *- //' | cut -c1-100)"
log "deploy and diff work offline with terraform and tofu"
