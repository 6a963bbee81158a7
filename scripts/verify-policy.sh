#!/usr/bin/env bash
# Policy scanners on everything we emit (issue 7, item 2).
#
#   bash scripts/verify-policy.sh
#
# Installs the pinned scanners (scripts/policy/install.sh: checkov from PyPI into .cache/venv,
# kube-score from the Go module proxy into .cache/tools/bin; kube-linter is not served, see
# scripts/policy/README.md), runs `npm run synth` when cdktf.out/ or dist/ is missing, then:
#   terraform  checkov --framework terraform_json secrets on every cdktf.out/stacks/*/cdk.tf.json,
#              with the project's Proxmox checks (scripts/policy/checkov/*.yaml: no VM password,
#              user data from a snippet file, image checksum); checkov has no built-in Proxmox checks
#   dist       checkov --framework kubernetes secrets on dist/ (the native objects: Namespaces,
#              NetworkPolicies, CronJobs, ...; CRs such as Argo CD Applications get no checks)
#   kube-score kube-score score on each dist/<cluster>/manifests (one run per cluster, so
#              cross-object tests see one cluster)
# Findings are filtered by verify-skips.yaml only (scripts/policy/evaluate.py): an unskipped
# finding or a stale skip fails. Negative controls: a privileged Deployment and a VM with a
# password must be rejected. Prints progress, one line per check, and a final result line.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" || exit 1
SKIPS="$ROOT/verify-skips.yaml"
CHECK_NAME=verify-policy
# shellcheck source=scripts/lib/check-report.sh
source "$ROOT/scripts/lib/check-report.sh"

bash scripts/policy/install.sh all || die "installing the scanners failed"
PY="$ROOT/.cache/venv/bin/python"
CHECKOV="$ROOT/.cache/venv/bin/checkov"
KUBE_SCORE="$ROOT/.cache/tools/bin/kube-score-${KUBE_SCORE_VERSION:-v1.19.0}"
log "tools: checkov $("$CHECKOV" --version), $("$KUBE_SCORE" version | cut -d, -f1)"

shopt -s nullglob
STACKS=(cdktf.out/stacks/*/cdk.tf.json)
DISTS=(dist/*/manifests)
if [[ ${#STACKS[@]} -eq 0 || ${#DISTS[@]} -eq 0 ]]; then
  log "cdktf.out/ or dist/ missing: npm run synth"
  npm run --silent synth >&2 || die "npm run synth failed"
  STACKS=(cdktf.out/stacks/*/cdk.tf.json)
  DISTS=(dist/*/manifests)
fi
shopt -u nullglob
[[ ${#STACKS[@]} -gt 0 ]] || die "no cdktf.out/stacks/*/cdk.tf.json after synth"
[[ ${#DISTS[@]} -gt 0 ]] || die "no dist/*/manifests after synth"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/verify-policy.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# checkov_run NAME FRAMEWORKS TARGET-ARGS...: JSON results in $WORK/NAME.json (fails only if checkov
# produced no parsable report; findings are judged by evaluate.py).
checkov_run() {
  local name=$1 frameworks=$2; shift 2
  # shellcheck disable=SC2086 # frameworks are words
  "$CHECKOV" "$@" --framework $frameworks --external-checks-dir scripts/policy/checkov \
    --skip-download --compact -o json >"$WORK/$name.json" 2>"$WORK/$name.err"
  "$PY" -c 'import json,sys; json.load(open(sys.argv[1]))' "$WORK/$name.json" 2>/dev/null \
    || { sed 's/^/    /' "$WORK/$name.err" >&2; echo "checkov wrote no JSON report"; return 1; }
}
kube_score_run() { # OUT DIR...: one JSON per dir
  local out=$1 d f; shift
  for d in "$@"; do
    f="$out.$(basename "$(dirname "$d")").json"
    mapfile -t files < <(find "$d" -name '*.yaml' | sort)
    [[ ${#files[@]} -gt 0 ]] || { echo "no manifests in $d"; return 1; }
    # exit 1 just means "findings": judged by evaluate.py
    "$KUBE_SCORE" score -o json --kubernetes-version v1.30 "${files[@]}" >"$f" 2>"$f.err"
    "$PY" -c 'import json,sys; json.load(open(sys.argv[1]))' "$f" 2>/dev/null || { cat "$f.err"; return 1; }
  done
}
judge() { # NAME CMD...: run an evaluation, print its lines, report the last one
  local name=$1 out res; shift
  if out="$("$@")"; then res=PASS; else res=FAIL; fi
  printf '%s\n' "$out" | grep -v '^skip ' | sed 's/^/  /'
  report "$res" "$name" "$(tail -1 <<<"$out")"
}

log "checkov terraform_json+secrets on ${STACKS[*]}"
tf_args=(); for f in "${STACKS[@]}"; do tf_args+=(-f "$f"); done
checkov_run terraform "terraform_json secrets" "${tf_args[@]}" || die "checkov (terraform) failed to run"
judge "checkov terraform" "$PY" scripts/policy/evaluate.py checkov terraform "$SKIPS" "$WORK/terraform.json"

log "checkov kubernetes+secrets on ${DISTS[*]}"
# One run per directory: checkov prints one JSON document per -d, which is not one parsable file.
dist_reports=()
for d in "${DISTS[@]}"; do
  name="dist-$(basename "$(dirname "$d")")"
  checkov_run "$name" "kubernetes secrets" -d "$d" || die "checkov ($d) failed to run"
  dist_reports+=("$WORK/$name.json")
done
judge "checkov dist" "$PY" scripts/policy/evaluate.py checkov dist "$SKIPS" "${dist_reports[@]}"

log "kube-score on ${DISTS[*]} (kube-linter is not served: scripts/policy/README.md)"
kube_score_run "$WORK/kube-score" "${DISTS[@]}" || die "kube-score failed to run"
judge "kube-score dist" "$PY" scripts/policy/evaluate.py kube-score "$SKIPS" "$WORK"/kube-score.*.json

echo "== negative controls (each must be rejected) =="
# A privileged Deployment next to a real cluster's manifests.
bad="$WORK/bad-dist/$(basename "$(dirname "${DISTS[0]}")")/manifests"
mkdir -p "$bad"
cp -a "${DISTS[0]}/." "$bad/"
cat >"$bad/Deployment.default.privileged.yaml" <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata: {name: privileged, namespace: default}
spec:
  replicas: 1
  selector: {matchLabels: {app: privileged}}
  template:
    metadata: {labels: {app: privileged}}
    spec:
      containers:
        - name: shell
          image: docker.io/library/busybox:1.37.0
          securityContext: {privileged: true}
YAML
if checkov_run bad-dist "kubernetes secrets" -d "$bad" && out="$("$PY" scripts/policy/evaluate.py checkov dist "$SKIPS" "$WORK/bad-dist.json")"; then
  report FAIL "checkov rejects privileged" "accepted a privileged Deployment"
else
  report PASS "checkov rejects privileged" "$(grep -E '^FAIL CKV_K8S_16 ' <<<"$out" | head -1 | cut -c1-100)"
fi
if kube_score_run "$WORK/bad-ks" "$bad" && out="$("$PY" scripts/policy/evaluate.py kube-score "$SKIPS" "$WORK"/bad-ks.*.json)"; then
  report FAIL "kube-score rejects bad Deployment" "accepted a privileged Deployment without limits or probes"
else
  report PASS "kube-score rejects bad Deployment" "$(grep -c '^FAIL ' <<<"$out") finding(s), e.g. $(grep -E '^FAIL ' <<<"$out" | head -1 | cut -c1-80)"
fi
# A VM with a cloud-init password in a copy of a real stack.
"$PY" - "${STACKS[0]}" "$WORK/bad-stack.tf.json" <<'PY' || die "could not write the broken stack"
import json, sys
d = json.load(open(sys.argv[1]))
vm = next(iter(d['resource']['proxmox_virtual_environment_vm'].values()))
vm['initialization']['user_account'] = {'username': 'ubuntu', 'password': 'changeme'}
json.dump(d, open(sys.argv[2], 'w'), indent=1)
PY
mkdir -p "$WORK/bad-tf" && mv "$WORK/bad-stack.tf.json" "$WORK/bad-tf/cdk.tf.json"
if checkov_run bad-tf "terraform_json secrets" -f "$WORK/bad-tf/cdk.tf.json" && out="$("$PY" scripts/policy/evaluate.py checkov terraform "$SKIPS" "$WORK/bad-tf.json")"; then
  report FAIL "checkov rejects VM password" "accepted a VM with a cloud-init password"
else
  report PASS "checkov rejects VM password" "$(grep -E '^FAIL ' <<<"$out" | head -1 | cut -c1-100)"
fi

finish
