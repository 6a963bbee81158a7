#!/usr/bin/env bash
# npm run verify: every artefact we emit, checked by the real program that consumes it.
# Builds or installs what it needs (scripts/tools.sh, apt, pip), shows progress, never skips:
# a missing tool is a failure. Prints one summary table at the end.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

declare -a NAMES=() RESULTS=() TIMES=()
run_check() {
  local name=$1; shift
  local t0; t0=$(date +%s)
  printf '\n[verify] ==> %s: %s\n' "$name" "$*" >&2
  if "$@"; then RESULTS+=("pass"); else RESULTS+=("FAIL"); fi
  NAMES+=("$name"); TIMES+=("$(( $(date +%s) - t0 ))s")
  printf '[verify] <== %s: %s (%s)\n' "$name" "${RESULTS[-1]}" "${TIMES[-1]}" >&2
}

run_check tools bash scripts/tools.sh
run_check k8s-tools bash scripts/k8s-tools.sh
run_check build npm run --silent build
run_check synth npm run --silent synth
run_check dist-up-to-date bash scripts/check-clean.sh dist/
run_check bundle-matches-tsc bash scripts/check-bundle.sh
run_check topology bash scripts/verify-topology.sh
run_check bindings-reproducible bash scripts/verify-bindings.sh
run_check terraform bash scripts/verify-terraform.sh
run_check deploy-offline bash scripts/verify-deploy.sh
run_check cdktn-identical bash scripts/verify-cdktn.sh
run_check day2-plan bash scripts/verify-day2.sh
run_check cloud-init bash scripts/verify-cloud-init.sh
run_check manifests bash scripts/verify-manifests.sh
run_check sops bash scripts/verify-sops.sh
run_check apiserver-dry-run bash scripts/verify-apiserver.sh
run_check policy bash scripts/verify-policy.sh
run_check cis bash scripts/verify-cis.sh
run_check etcd-restore bash scripts/verify-etcd-restore.sh
run_check identity-backup bash scripts/verify-identity-backup.sh
run_check vip-failover bash scripts/verify-vip-failover.sh

printf '\n[verify] summary\n%-24s %-6s %s\n' check result time
failed=0
for i in "${!NAMES[@]}"; do
  printf '%-24s %-6s %s\n' "${NAMES[$i]}" "${RESULTS[$i]}" "${TIMES[$i]}"
  [[ "${RESULTS[$i]}" == pass ]] || failed=$((failed + 1))
done
if (( failed > 0 )); then
  printf '[verify] %d check(s) FAILED\n' "$failed" >&2
  exit 1
fi
printf '[verify] all %d checks passed\n' "${#NAMES[@]}"
