#!/usr/bin/env bash
# Verifies the GitOps manifests of every clusters/*.yaml against the pinned upstream data
# (../shared/upstream, or fetched and checked into .cache/upstream: scripts/lib/upstream.sh):
#   - Helm values of each release vs the chart's values.schema.json, else vs its values.yaml key paths
#   - every object strictly vs Kubernetes 1.30 (python kubernetes-validate) or the upstream CRD schema
#   - no chart default credential in effect (credentials.py, chart-credentials.json)
#   - NetworkPolicy scoping (scripts/manifests/netpol.py): cross-namespace allows name pods and ports,
#     tenants never reach the node network and sit under a cluster-wide Cilium policy
#   - API audit log shipping (scripts/manifests/audit.py): with logging on, the alloy-audit DaemonSet
#     tails exactly kube-apiserver's --audit-log-path (facts/audit-log.ts) on the control planes
#   - GitOps trust (scripts/manifests/projects.py): the platform AppProject names its namespaces and
#     cluster-scoped kinds and holds every rendered object; the users' folder is scoped apart
#   - backup bucket encryption (scripts/manifests/sse.py): every Velero BackupStorageLocation and
#     every AWS CLI upload (etcd snapshots) asks for server-side encryption
# Renders fresh into a temp dir (as specified + Flux, options and Gateway API variants), then proves the check can fail
# by validating a deliberately broken copy. Fails loudly; never skips.
#
#   bash scripts/verify-manifests.sh [dist-dir ...]   # default: fresh render of clusters/*.yaml
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HERE="${ROOT}/scripts/manifests"
LOG_TAG=verify-manifests
# shellcheck source=scripts/lib/log.sh
source "${ROOT}/scripts/lib/log.sh"

# shellcheck source=scripts/lib/upstream.sh
source "${ROOT}/scripts/lib/upstream.sh"
UPSTREAM="$(upstream_dir)" || die "no pinned upstream data (see above): cannot verify without it"
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

# must_reject NAME EXPECTED... -- COMMAND...: a negative control. COMMAND must fail, and its output
# (kept in $TMP/NAME.log) must mention every EXPECTED text.
must_reject() {
  local name=$1 expects=()
  shift
  while [[ $1 != -- ]]; do expects+=("$1"); shift; done
  shift
  if "$@" >"${TMP}/${name}.log" 2>&1; then
    cat "${TMP}/${name}.log" >&2
    die "negative control ${name} passed: the check accepts it"
  fi
  local expect
  for expect in "${expects[@]}"; do
    grep -qF -- "$expect" "${TMP}/${name}.log" || { cat "${TMP}/${name}.log" >&2; die "negative control ${name}: expected a failure mentioning '${expect}'"; }
  done
  log "negative control ${name} rejected as expected ($(grep -c ' FAIL ' "${TMP}/${name}.log") problems)"
}

if [[ $# -gt 0 ]]; then
  DISTS=("$@")
else
  log "building (tsc) and rendering clusters/*.yaml into ${TMP}/dist"
  (cd "$ROOT" && npx tsc -p scripts/manifests/tsconfig.json) || die "TypeScript build of manifests/ failed"
  node "${HERE}/render-variants.js" "${TMP}/dist" >&2
  DISTS=()
  VARIANTS=(flux options trust gateway gateway-flux)
  for d in "${TMP}"/dist/*/ "${TMP}"/dist/flux/*/ "${TMP}"/dist/options/*/ "${TMP}"/dist/trust/*/ "${TMP}"/dist/gateway/*/ "${TMP}"/dist/gateway-flux/*/; do
    [[ " ${VARIANTS[*]} " == *" $(basename "$d") "* ]] && continue
    DISTS+=("${d%/}")
  done
fi
[[ ${#DISTS[@]} -gt 0 ]] || die "nothing to verify"

log "checking ${#DISTS[@]} cluster render(s) against ${UPSTREAM}"
python3 "${HERE}/verify.py" "$UPSTREAM" "${DISTS[@]}"

# Prove the check can fail: a broken copy (unknown field in a core object, wrong type in a
# custom resource, unknown Helm values key, an allow of every port and pod from monitoring, a
# tenant egress into the node network) must be rejected.
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
# Network policy scoping: an allow from the monitoring namespace on every port and pod, and a
# tenant whose egress reaches the node network.
nodes = [p for p in glob.glob(f'{d}/manifests/security/NetworkPolicy.*.allow-from-nodes.yaml')]
node_cidr = yaml.safe_load(open(nodes[0]))['spec']['ingress'][0]['from'][0]['ipBlock']['cidr']
yaml.safe_dump({'apiVersion': 'networking.k8s.io/v1', 'kind': 'NetworkPolicy',
                'metadata': {'name': 'allow-from-monitoring', 'namespace': 'cert-manager'},
                'spec': {'podSelector': {}, 'policyTypes': ['Ingress'],
                         'ingress': [{'from': [{'namespaceSelector': {'matchLabels': {'kubernetes.io/metadata.name': 'monitoring'}}}]}]}},
               open(f'{d}/manifests/security/NetworkPolicy.cert-manager.allow-all-from-monitoring.yaml', 'w'))
import os
os.makedirs(f'{d}/manifests/tenants', exist_ok=True)
yaml.safe_dump({'apiVersion': 'networking.k8s.io/v1', 'kind': 'NetworkPolicy',
                'metadata': {'name': 'allow-egress-external', 'namespace': 'broken-tenant'},
                'spec': {'podSelector': {}, 'policyTypes': ['Egress'],
                         'egress': [{'to': [{'ipBlock': {'cidr': '0.0.0.0/0', 'except': ['10.244.0.0/16']}}]}]}},
               open(f'{d}/manifests/tenants/NetworkPolicy.broken-tenant.allow-egress-external.yaml', 'w'))
PY
must_reject broken 'Namespace v1: Kubernetes' 'IPAddressPool metallb.io/v1beta1: CRD schema' 'controler' \
  'ingress[0] allows every port from another namespace' 'allows every pod of the namespaces' \
  'lets a tenant reach the node network' 'no CiliumClusterwideNetworkPolicy denies them' \
  -- python3 "${HERE}/verify.py" "$UPSTREAM" "$BROKEN"

# GitOps trust (issue 13): a platform AppProject with '*' destinations and kinds, an apps project
# whitelisting cluster-scoped objects, a subchart moved by namespaceOverride into a namespace the
# platform project does not list, and a Flux apps Kustomization without its ServiceAccount.
log "negative control: a platform project of '*' and an apps Kustomization without serviceAccountName must be rejected"
TRUST="${TMP}/trust"
ARGO_SRC="" FLUX_SRC=""
for d in "${DISTS[@]}"; do
  [[ -z "$ARGO_SRC" && -f "$d/manifests/gitops/AppProject.argocd.apps.yaml" ]] && ARGO_SRC=$d
  [[ -z "$FLUX_SRC" && -f "$d/manifests/gitops/Kustomization.flux-system.apps.yaml" ]] && FLUX_SRC=$d
done
[[ -n "$ARGO_SRC" && -n "$FLUX_SRC" ]] || die "negative control: no Argo CD and Flux render with a users' folder to break"
mkdir -p "$TRUST"
cp -r "$ARGO_SRC" "$TRUST/argo"
cp -r "$FLUX_SRC" "$TRUST/flux"
python3 - "$TRUST" <<'PY'
import sys, yaml
d = sys.argv[1]
f = f'{d}/argo/manifests/gitops/AppProject.argocd.platform.yaml'
obj = yaml.safe_load(open(f))
obj['spec']['destinations'] = [{'namespace': '*', 'server': 'https://kubernetes.default.svc'}]
obj['spec']['clusterResourceWhitelist'] = [{'group': '*', 'kind': '*'}]
yaml.safe_dump(obj, open(f, 'w'))
f = f'{d}/argo/manifests/gitops/AppProject.argocd.apps.yaml'
obj = yaml.safe_load(open(f))
obj['spec']['clusterResourceWhitelist'] = [{'group': '*', 'kind': '*'}]
obj['spec']['destinations'] = [x for x in obj['spec']['destinations'] if x['namespace'] != '!kube-system']
yaml.safe_dump(obj, open(f, 'w'))
f = f'{d}/argo/manifests/monitoring/Application.argocd.kube-prometheus-stack.yaml'
obj = yaml.safe_load(open(f))
obj['spec']['source']['helm']['valuesObject']['prometheus-node-exporter']['namespaceOverride'] = 'node-exporter-elsewhere'
yaml.safe_dump(obj, open(f, 'w'))
f = f'{d}/flux/manifests/gitops/Kustomization.flux-system.apps.yaml'
obj = yaml.safe_load(open(f))
del obj['spec']['serviceAccountName']
yaml.safe_dump(obj, open(f, 'w'))
PY
must_reject trust "destination {'namespace': '*'" "entry {'group': '*', 'kind': '*'} is a wildcard" \
  'allows cluster-scoped objects from the users' 'namespace kube-system (platform or Kubernetes) is not denied' \
  'moves chart objects into node-exporter-elsewhere (namespaceOverride)' 'Kustomization apps has no serviceAccountName' \
  -- python3 "${HERE}/verify.py" "$UPSTREAM" "$TRUST/argo" "$TRUST/flux"

# Backup bucket encryption (issue 13): a BackupStorageLocation and an etcd snapshot upload
# without server-side encryption.
log "negative control: a BackupStorageLocation and an etcd snapshot upload without server-side encryption must be rejected"
SSE_SRC=""
for d in "${DISTS[@]}"; do compgen -G "$d/manifests/velero-config/BackupStorageLocation.*.yaml" >/dev/null && { SSE_SRC=$d; break; }; done
[[ -n "$SSE_SRC" ]] || die "negative control: no render with a BackupStorageLocation to break"
NOSSE="${TMP}/no-sse"
cp -r "$SSE_SRC" "$NOSSE"
python3 - "$NOSSE" <<'PY'
import glob, sys, yaml
d = sys.argv[1]
for f in glob.glob(f'{d}/manifests/velero-config/BackupStorageLocation.*.yaml'):
    obj = yaml.safe_load(open(f))
    del obj['spec']['config']['serverSideEncryption']
    yaml.safe_dump(obj, open(f, 'w'))
f = sorted(glob.glob(f'{d}/manifests/etcd-backup/CronJob.*.yaml'))[0]
text = open(f).read()
assert ' --sse AES256 ' in text, f
open(f, 'w').write(text.replace(' --sse AES256 ', ' '))
PY
must_reject no-sse 'BackupStorageLocation default asks for no server-side encryption' 'upload without server-side encryption' \
  -- python3 "${HERE}/verify.py" "$UPSTREAM" "$NOSSE"
[[ $(grep -c ' FAIL ' "${TMP}/no-sse.log") == 2 ]] || { cat "${TMP}/no-sse.log" >&2; die "negative control no-sse: expected exactly those two failures"; }

# No chart default credential in effect (issue 13): every release's values coalesced with the
# chart's upstream values.yaml, against the known defaults of scripts/manifests/chart-credentials.json.
log "credentials: no chart default password, key or render-time secret in effect"
python3 "${HERE}/credentials.py" "$UPSTREAM" "${DISTS[@]}" || die "a chart default credential is in effect"

log "negative control: Harbor's secretKey, Grafana's admin Secret and Velero's repository Secret mount removed must be rejected"
CRED_SRC=""
for d in "${DISTS[@]}"; do [[ -d "$d/manifests/harbor" && -d "$d/manifests/velero" ]] && { CRED_SRC=$d; break; }; done
[[ -n "$CRED_SRC" ]] || die "negative control: no render with Harbor and Velero to break"
DEFAULTS="${TMP}/defaults"
cp -r "$CRED_SRC" "$DEFAULTS"
python3 - "$DEFAULTS" <<'PY'
import glob, sys, yaml
d = sys.argv[1]
def values(obj):
    return obj['spec']['source']['helm']['valuesObject'] if obj['kind'] == 'Application' else obj['spec']['values']
for addon, edit in [
    ('harbor', lambda v: v.pop('existingSecretSecretKey')),
    ('monitoring', lambda v: v['grafana'].pop('admin')),
    ('velero', lambda v: v.pop('extraVolumes')),
]:
    for f in glob.glob(f'{d}/manifests/{addon}/*.yaml'):
        obj = yaml.safe_load(open(f))
        if obj['kind'] in ('Application', 'HelmRelease') and obj['metadata']['name'] != 'root':
            edit(values(obj))
            yaml.safe_dump(obj, open(f, 'w'))
PY
must_reject defaults 'secretKey is the chart default' 'grafana.adminPassword is empty' 'velero-repo-credentials' \
  -- python3 "${HERE}/credentials.py" "$UPSTREAM" "$DEFAULTS"
log "negative control: a chart whose values.yaml gains an unclassified default password must be rejected"
NEWCHART="${TMP}/upstream-new-default"
cp -r "$UPSTREAM" "$NEWCHART"
printf '\nnewComponent:\n  adminPassword: "changeme"\n' >> "$(ls "$NEWCHART"/harbor/*/chart/values.yaml)"
must_reject new-default 'newComponent.adminPassword that chart-credentials.json does not classify' \
  -- python3 "${HERE}/credentials.py" "$NEWCHART" "$CRED_SRC"
[[ $(grep -c ' FAIL ' "${TMP}/new-default.log") == 1 ]] || { cat "${TMP}/new-default.log" >&2; die "negative control new-default: expected exactly that one failure"; }

# API audit log shipping (issue 13): the path is the constant cloud-init gives kubeadm's
# --audit-log-path (facts/audit-log.ts), read from the build, never retyped here.
[[ -f "${ROOT}/lib/facts/audit-log.js" ]] || (cd "$ROOT" && npx tsc -p scripts/manifests/tsconfig.json) || die "TypeScript build of facts/ failed"
AUDIT_LOG_PATH="$(node -p "require(process.argv[1]).API_AUDIT_LOG.path" "${ROOT}/lib/facts/audit-log.js")" || die "cannot read API_AUDIT_LOG.path"
log "audit log shipping: with logging on, alloy-audit tails ${AUDIT_LOG_PATH} on the control planes"
python3 "${HERE}/audit.py" "$AUDIT_LOG_PATH" "${DISTS[@]}" || die "the API audit log is not shipped as required"

log "negative control: an audit shipper tailing another file, writable, with a capability, and one with no shipper, must be rejected"
AUDIT_SRC=""
for d in "${DISTS[@]}"; do compgen -G "$d/manifests/logging/*alloy-audit.yaml" >/dev/null && { AUDIT_SRC=$d; break; }; done
[[ -n "$AUDIT_SRC" ]] || die "negative control: no render with the audit shipper to break"
AUDIT_BAD="${TMP}/audit-bad"
mkdir -p "$AUDIT_BAD"
cp -r "$AUDIT_SRC" "$AUDIT_BAD/drifted"
cp -r "$AUDIT_SRC" "$AUDIT_BAD/missing"
python3 - "$AUDIT_BAD" <<'PY'
import glob, os, sys, yaml
d = sys.argv[1]
for f in glob.glob(f'{d}/drifted/manifests/logging/*alloy-audit.yaml'):
    obj = yaml.safe_load(open(f))
    v = obj['spec']['source']['helm']['valuesObject'] if obj['kind'] == 'Application' else obj['spec']['values']
    v['alloy']['configMap']['content'] = v['alloy']['configMap']['content'].replace('/audit.log"', '/audit-old.log"')
    for m in v['alloy']['mounts']['extra']:
        m.pop('readOnly', None)
    v['alloy']['securityContext']['capabilities']['add'] = ['DAC_OVERRIDE']
    v['controller'].pop('tolerations')
    yaml.safe_dump(obj, open(f, 'w'))
for f in glob.glob(f'{d}/missing/manifests/logging/*alloy-audit.yaml'):
    os.remove(f)
PY
must_reject audit-drifted 'not exactly kube-apiserver' 'not read-only at' 'not drop [ALL] with nothing added' 'control-plane NoSchedule toleration' \
  -- python3 "${HERE}/audit.py" "$AUDIT_LOG_PATH" "$AUDIT_BAD/drifted"
must_reject audit-missing 'no release alloy-audit ships the API audit log' \
  -- python3 "${HERE}/audit.py" "$AUDIT_LOG_PATH" "$AUDIT_BAD/missing"
log "OK"
