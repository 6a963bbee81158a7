#!/usr/bin/env bash
# Verifies the GitOps manifests of every clusters/*.yaml against ../shared/upstream:
#   - Helm values of each release vs the chart's values.schema.json, else vs its values.yaml key paths
#   - every object strictly vs Kubernetes 1.30 (python kubernetes-validate) or the upstream CRD schema
# Renders fresh into a temp dir (as specified + Flux, options and Gateway API variants), then proves the check can fail
# by validating a deliberately broken copy. Fails loudly; never skips.
#
#   bash scripts/verify-manifests.sh [dist-dir ...]   # default: fresh render of clusters/*.yaml
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
UPSTREAM="${UPSTREAM_DIR:-${ROOT}/../shared/upstream}"
HERE="${ROOT}/scripts/manifests"
LOG_TAG=verify-manifests
# shellcheck source=scripts/lib/log.sh
source "${ROOT}/scripts/lib/log.sh"

[[ -d "$UPSTREAM" && -f "$UPSTREAM/SOURCES.md" ]] \
  || die "upstream data not found at ${UPSTREAM} (expected ../shared/upstream next to the repo, see issue 5; set UPSTREAM_DIR). Cannot verify without it."
command -v python3 >/dev/null || die "python3 not found"

# Python dependencies: install from PyPI when missing.
if ! python3 -c 'import jsonschema, referencing, yaml, kubernetes_validate' 2>/dev/null; then
  log "installing python packages: jsonschema pyyaml kubernetes-validate"
  python3 -m pip install --quiet jsonschema pyyaml kubernetes-validate || die "pip install failed"
fi
python3 -c 'import kubernetes_validate, os; d=os.path.join(os.path.dirname(kubernetes_validate.__file__),"kubernetes-json-schema","v1.30.0-local-strict"); assert os.path.isdir(d), d' \
  || die "kubernetes-validate has no Kubernetes 1.30 strict schemas"

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

if [[ $# -gt 0 ]]; then
  DISTS=("$@")
else
  log "building (tsc) and rendering clusters/*.yaml into ${TMP}/dist"
  (cd "$ROOT" && npx tsc -p scripts/manifests/tsconfig.json) || die "TypeScript build of manifests/ failed"
  node "${HERE}/render-variants.js" "${TMP}/dist" >&2
  DISTS=()
  VARIANTS=(flux options gateway gateway-flux)
  for d in "${TMP}"/dist/*/ "${TMP}"/dist/flux/*/ "${TMP}"/dist/options/*/ "${TMP}"/dist/gateway/*/ "${TMP}"/dist/gateway-flux/*/; do
    [[ " ${VARIANTS[*]} " == *" $(basename "$d") "* ]] && continue
    DISTS+=("${d%/}")
  done
fi
[[ ${#DISTS[@]} -gt 0 ]] || die "nothing to verify"

log "checking ${#DISTS[@]} cluster render(s) against ${UPSTREAM}"
python3 "${HERE}/verify.py" "$UPSTREAM" "${DISTS[@]}"

# Prove the check can fail: a broken copy (unknown field in a core object, wrong type in a
# custom resource, unknown Helm values key) must be rejected.
log "negative control: a deliberately broken manifest set must be rejected"
BROKEN="${TMP}/broken"
cp -r "${DISTS[0]}" "$BROKEN"
python3 - "$BROKEN" <<'PY'
import glob, sys, yaml
d = sys.argv[1]
ns = sorted(glob.glob(f'{d}/manifests/security/Namespace.*.yaml'))[0]
obj = yaml.safe_load(open(ns)); obj['spec'] = {'finalizerz': ['kubernetes']}
yaml.safe_dump(obj, open(ns, 'w'))
pool = glob.glob(f'{d}/manifests/metallb-config/IPAddressPool.*.yaml')[0]
obj = yaml.safe_load(open(pool)); obj['spec']['autoAssign'] = 'yes'
yaml.safe_dump(obj, open(pool, 'w'))
for app in glob.glob(f'{d}/manifests/metallb/*.yaml'):
    obj = yaml.safe_load(open(app))
    if obj['kind'] == 'Application':
        obj['spec']['source']['helm']['valuesObject']['controler'] = {'replicas': 2}
    elif obj['kind'] == 'HelmRelease':
        obj['spec']['values']['controler'] = {'replicas': 2}
    yaml.safe_dump(obj, open(app, 'w'))
PY
if python3 "${HERE}/verify.py" "$UPSTREAM" "$BROKEN" >"${TMP}/broken.log" 2>&1; then
  cat "${TMP}/broken.log" >&2
  die "negative control passed: the verifier accepts a broken manifest set"
fi
for expect in 'Namespace v1: Kubernetes' 'IPAddressPool metallb.io/v1beta1: CRD schema' 'controler'; do
  grep -q "$expect" "${TMP}/broken.log" || { cat "${TMP}/broken.log" >&2; die "negative control: expected a failure mentioning '${expect}'"; }
done
log "negative control rejected as expected ($(grep -c ' FAIL ' "${TMP}/broken.log") problems)"
log "OK"
