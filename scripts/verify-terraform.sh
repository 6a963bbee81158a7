#!/usr/bin/env bash
# Terraform checks of npm run verify, with the project-built terraform and bpg/proxmox provider:
#   1. every cdktf.out/stacks/*/cdk.tf.json: init (offline mirror), validate, plan -refresh=false,
#      with Terraform and again with OpenTofu (the same mirror under registry.opentofu.org);
#   2. scale: clusters/lab.yaml grown to 100 workers synthesizes, validates and plans;
#   3. negative controls: a stack with an unknown attribute and one with an unescaped `${...}`
#      in a snippet must both be rejected.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
LOG_TAG=verify-terraform
# shellcheck source=scripts/lib/log.sh
source "${ROOT}/scripts/lib/log.sh"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/verify-terraform.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
export VERIFY_TF_PLAN=1

log "1/3 reference stacks (terraform, then tofu)"
bash scripts/verify-tf.sh || die "reference stacks failed with terraform"
VERIFY_TF_BIN=tofu bash scripts/verify-tf.sh || die "reference stacks failed with tofu"

log "2/3 scale: 100 workers"
t0=$(date +%s)
node scripts/lib/scale-spec.js 100 >"$WORK/scale.yaml"
node lib/bundle/synth.js --spec "$WORK/scale.yaml" --out "$WORK/scale" >/dev/null 2>"$WORK/scale.err" || { cat "$WORK/scale.err" >&2; die "synth of the 100-worker spec failed"; }
vms=$(node -e "const t=require(process.argv[1]); console.log(Object.keys(t.resource.proxmox_virtual_environment_vm).length)" "$WORK/scale/cdktf.out/stacks/scale/cdk.tf.json")
[[ "$vms" == 103 ]] || die "expected 103 VMs in the 100-worker stack, found $vms"
bash scripts/verify-tf.sh "$WORK/scale/cdktf.out/stacks/scale" || die "the 100-worker stack failed"
log "scale: 103 VMs synthesized, validated and planned in $(( $(date +%s) - t0 ))s"

log "3/3 negative controls (each must be rejected)"
mkdir -p "$WORK/bad-attr" "$WORK/bad-escape"
node -e "
const fs = require('fs'); const t = require(process.argv[1]);
const vm = Object.values(t.resource.proxmox_virtual_environment_vm)[0];
vm.cpu.corez = 2;
fs.writeFileSync(process.argv[2] + '/cdk.tf.json', JSON.stringify(t));
const u = require(process.argv[1]);
const file = Object.values(u.resource.proxmox_virtual_environment_file)[0];
file.source_raw.data += '\n# \${HOME}\n';
fs.writeFileSync(process.argv[3] + '/cdk.tf.json', JSON.stringify(u));
" "$ROOT/cdktf.out/stacks/lab/cdk.tf.json" "$WORK/bad-attr" "$WORK/bad-escape"
for bad in bad-attr bad-escape; do
  if bash scripts/verify-tf.sh "$WORK/$bad" >"$WORK/$bad.log" 2>&1; then
    cat "$WORK/$bad.log" >&2; die "negative control $bad was accepted"
  fi
  log "negative control $bad rejected: $(grep -m1 -E 'Error|Unsupported|Invalid|Reference' "$WORK/$bad.log" | sed 's/^ *//' | cut -c1-120)"
done
log "all Terraform checks passed"
