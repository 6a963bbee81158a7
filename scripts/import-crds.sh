#!/usr/bin/env bash
# Regenerates the CRD bindings under imports/ from the pinned upstream CRD files
# (scripts/lib/upstream.sh: ../shared/upstream, see its SOURCES.md, or fetched into .cache/upstream). The generated TypeScript is committed; the CRD
# files are not. Core Kubernetes objects come from cdk8s-plus-30 (`import { k8s } from
# 'cdk8s-plus-30'`), which ships the k8s 1.30 bindings, so `cdk8s import k8s` (online) is not run.
#
#   bash scripts/import-crds.sh        # deterministic: run twice -> no diff
#
# Only the CRDs the manifests use are imported (one file per API group), to keep imports/ small.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${ROOT}/imports"
CDK8S="${ROOT}/node_modules/.bin/cdk8s"

LOG_TAG=import-crds
# shellcheck source=scripts/lib/log.sh
source "${ROOT}/scripts/lib/log.sh"

# shellcheck source=scripts/lib/upstream.sh
source "${ROOT}/scripts/lib/upstream.sh"
UP="$(upstream_dir)" || die "no pinned upstream data (see above)"
[[ -x "$CDK8S" ]] || die "cdk8s CLI not found at ${CDK8S}: run npm ci"

# group file name -> CRD files (relative to $UP). Keep in sync with cdk8s.yaml `imports`.
declare -A GROUPS_=(
  [metallb.io]="metallb/v0.15.3/crds/metallb.io_ipaddresspools.yaml metallb/v0.15.3/crds/metallb.io_l2advertisements.yaml"
  [cert-manager.io]="cert-manager/v1.18.6/crds/crd-clusterissuers.yaml cert-manager/v1.18.6/crds/crd-certificates.yaml"
  [monitoring.coreos.com]="prometheus-operator/v0.86.2/crds/monitoring.coreos.com_prometheusrules.yaml prometheus-operator/v0.86.2/crds/monitoring.coreos.com_servicemonitors.yaml"
  [argoproj.io]="argo-cd/v3.4.4/crds/application-crd.yaml argo-cd/v3.4.4/crds/appproject-crd.yaml"
  [helm.toolkit.fluxcd.io]="flux/v2.9.0/crds/helm.toolkit.fluxcd.io_helmreleases.yaml"
  [source.toolkit.fluxcd.io]="flux/v2.9.0/crds/source.toolkit.fluxcd.io_helmrepositories.yaml flux/v2.9.0/crds/source.toolkit.fluxcd.io_ocirepositories.yaml flux/v2.9.0/crds/source.toolkit.fluxcd.io_gitrepositories.yaml"
  [kustomize.toolkit.fluxcd.io]="flux/v2.9.0/crds/kustomize.toolkit.fluxcd.io_kustomizations.yaml"
  [velero.io]="velero/v1.17.1/crds/velero.io_schedules.yaml velero/v1.17.1/crds/velero.io_backupstoragelocations.yaml"
  [gateway.networking.k8s.io]="gateway-api/v1.3.0/crds/gateway.networking.k8s.io_gateways.yaml gateway-api/v1.3.0/crds/gateway.networking.k8s.io_httproutes.yaml gateway-api/v1.3.0/crds/gateway.networking.k8s.io_gatewayclasses.yaml"
)

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$OUT"

for group in $(printf '%s\n' "${!GROUPS_[@]}" | LC_ALL=C sort); do
  src="${TMP}/${group}.yaml"
  : >"$src"
  for f in ${GROUPS_[$group]}; do
    [[ -f "${UP}/${f}" ]] || die "missing upstream CRD ${UP}/${f}"
    # cert-manager's CRD files are Helm-templated at this tag: drop every line holding a
    # template action ({{ ... }}); what remains is the plain CRD.
    printf -- '---\n' >>"$src"
    grep -v '{{' "${UP}/${f}" >>"$src"
  done
  log "importing ${group} <- ${GROUPS_[$group]}"
  rm -f "${OUT}/${group}.ts"
  # The CLI's own npm upgrade check may print an http error offline; keep its output in a
  # log and show it only when the import itself fails.
  if ! (cd "$TMP" && "$CDK8S" import "${src}" -l typescript -o "${TMP}/out") >"${TMP}/import.log" 2>&1; then
    cat "${TMP}/import.log" >&2
    die "cdk8s import failed for ${group}"
  fi
  [[ -f "${TMP}/out/${group}.ts" ]] || die "cdk8s import wrote no ${group}.ts (got: $(ls "${TMP}/out"))"
  mv "${TMP}/out/${group}.ts" "${OUT}/${group}.ts"
done
log "done: $(ls "$OUT" | grep -v '^providers$' | tr '\n' ' ')"
