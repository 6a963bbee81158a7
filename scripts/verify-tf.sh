#!/usr/bin/env bash
# Validates synthesized CDKTF stacks with the project-built terraform, offline.
#
#   bash scripts/verify-tf.sh                     # all cdktf.out/stacks/*/cdk.tf.json
#   bash scripts/verify-tf.sh path/to/cdk.tf.json path/to/stackdir ...
#   VERIFY_TF_PLAN=1 bash scripts/verify-tf.sh    # additionally try `terraform plan`
#   VERIFY_TF_BIN=tofu bash scripts/verify-tf.sh  # the same with the pinned OpenTofu
#
# Each stack directory is copied to a temp dir (the repo is never touched),
# `terraform init -backend=false` installs bpg/proxmox from the local
# filesystem mirror (.cache/tools/providers, see scripts/tools.sh) and
# `terraform validate` checks the configuration. Prints PASS/FAIL per stack and
# exits non-zero if any stack fails.
#
# The plan step (VERIFY_TF_PLAN=1, as npm run verify runs it) runs `terraform plan -refresh=false`
# with a dummy API token and no reachable Proxmox: our stacks only create resources and read no
# data source, so the provider plans them without calling the API (see tools/README.md). It
# evaluates every expression (secret locals, escaping, lifecycle paths), so a failing plan fails.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOG_TAG=verify-tf
# shellcheck source=scripts/lib/log.sh
source "${ROOT}/scripts/lib/log.sh"

bash "${ROOT}/scripts/tools.sh" || die "scripts/tools.sh failed"
# shellcheck source=scripts/tools-env.sh
source "${ROOT}/scripts/tools-env.sh"
TF_NAME="${VERIFY_TF_BIN:-terraform}"
[[ "$TF_NAME" == terraform || "$TF_NAME" == tofu ]] || die "VERIFY_TF_BIN must be terraform or tofu, not ${TF_NAME}"
TF="${PVE_K8S_TOOLS_DIR}/bin/${TF_NAME}"
[[ -x "$TF" ]] || die "$TF missing"
export TF_IN_AUTOMATION=1 TF_INPUT=0 CHECKPOINT_DISABLE=1
unset TF_PLUGIN_CACHE_DIR TF_DATA_DIR TF_WORKSPACE

inputs=("$@")
if [[ ${#inputs[@]} -eq 0 ]]; then
  shopt -s nullglob
  inputs=("${ROOT}"/cdktf.out/stacks/*/cdk.tf.json)
  shopt -u nullglob
  [[ ${#inputs[@]} -gt 0 ]] || die "no stacks found under cdktf.out/stacks/*/cdk.tf.json (run npm run synth first)"
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/verify-tf.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

pass=0; fail=0; failed=()
for input in "${inputs[@]}"; do
  if [[ -d "$input" ]]; then src="$input"; else src="$(dirname "$input")"; fi
  [[ -f "${src}/cdk.tf.json" ]] || { log "FAIL ${input}: no cdk.tf.json"; fail=$((fail+1)); failed+=("$input"); continue; }
  name="$(basename "$src")"
  dir="${WORK}/${name}"
  i=1; while [[ -e "$dir" ]]; do dir="${WORK}/${name}-$((i++))"; done
  mkdir -p "$dir"
  # Copy the stack (cdk.tf.json + any assets), but never local state/plugins.
  (cd "$src" && tar --exclude=.terraform --exclude='*.tfstate*' --exclude=.terraform.lock.hcl -cf - .) | (cd "$dir" && tar -xf -)
  t0=$(date +%s)
  if ! "$TF" -chdir="$dir" init -backend=false -input=false -no-color >"${dir}.init.log" 2>&1; then
    log "FAIL ${name}: ${TF_NAME} init (offline mirror) failed:"; sed 's/^/    /' "${dir}.init.log" >&2
    fail=$((fail+1)); failed+=("$name"); continue
  fi
  if ! "$TF" -chdir="$dir" validate -no-color >"${dir}.validate.log" 2>&1; then
    log "FAIL ${name}: ${TF_NAME} validate:"; sed 's/^/    /' "${dir}.validate.log" >&2
    fail=$((fail+1)); failed+=("$name"); continue
  fi
  log "PASS ${name} (${TF_NAME} init+validate $(( $(date +%s) - t0 ))s)"
  pass=$((pass+1))

  if [[ -n "${VERIFY_TF_PLAN:-}" ]]; then
    # plan needs an initialised backend: use a throwaway local state in the temp dir.
    ( cd "$dir" &&
      PROXMOX_VE_ENDPOINT="https://127.0.0.1:1/" \
      PROXMOX_VE_API_TOKEN="dummy@pve!verify=00000000-0000-0000-0000-000000000000" \
      PROXMOX_VE_INSECURE=true \
      "$TF" init -input=false -no-color -reconfigure >/dev/null 2>&1 &&
      PROXMOX_VE_ENDPOINT="https://127.0.0.1:1/" \
      PROXMOX_VE_API_TOKEN="dummy@pve!verify=00000000-0000-0000-0000-000000000000" \
      PROXMOX_VE_INSECURE=true \
      timeout 300 "$TF" plan -refresh=false -input=false -lock=false -no-color ) >"${dir}.plan.log" 2>&1
    rc=$?
    if [[ $rc -ne 0 ]]; then
      log "FAIL ${name}: ${TF_NAME} plan -refresh=false (exit ${rc}):"; tail -n 30 "${dir}.plan.log" | sed 's/^/    /' >&2
      fail=$((fail+1)); pass=$((pass-1)); failed+=("$name plan"); continue
    fi
    log "PASS ${name} ${TF_NAME} plan: $(grep -m1 -E '^Plan:' "${dir}.plan.log" || echo 'no summary line')"
  fi
done

log "summary: ${pass} passed, ${fail} failed"
if [[ $fail -gt 0 ]]; then
  die "${TF_NAME} validation FAILED for: ${failed[*]}"
fi
