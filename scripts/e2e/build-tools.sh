#!/usr/bin/env bash
# Builds the e2e test's Go tools from the Go module proxy into .cache/tools/bin (stamped, so a
# rerun is instant): the Kubernetes node and control-plane binaries (scripts/k8s-tools.sh,
# K8S_TOOLS=all), and from the wrapper modules under tools/e2e/: crane, the distribution
# registry, crictl, CoreDNS, kubeadm's default etcd, and the pause and hello images' programs.
# Each module's go.mod is the pin; the version is read from it.
#
#   bash scripts/e2e/build-tools.sh
#   E2E_TOOLS=modules bash scripts/e2e/build-tools.sh   # only the tools/e2e modules
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=scripts/lib/go-tools.sh
source "${ROOT}/scripts/lib/go-tools.sh"

[[ "${E2E_TOOLS:-}" == modules ]] || K8S_TOOLS=all bash "${ROOT}/scripts/k8s-tools.sh"

# modver <module dir under tools/> <module path>: the version that go.mod pins.
modver() { (cd "${ROOT}/tools/$1" && go list -m -f '{{.Version}}' "$2"); }

CRANE_V="$(modver e2e/crane github.com/google/go-containerregistry)"
REGISTRY_V="$(modver e2e/registry github.com/distribution/distribution/v3)"
CRICTL_V="$(modver e2e/cri-tools sigs.k8s.io/cri-tools)"
COREDNS_V="$(modver e2e/coredns github.com/coredns/coredns)"
ETCD_V="$(modver e2e/etcd go.etcd.io/etcd/server/v3)"

go_build crane e2e/crane github.com/google/go-containerregistry/cmd/crane "${CRANE_V#v}" "${BIN}/crane" "-s -w"
go_build registry e2e/registry github.com/distribution/distribution/v3/cmd/registry "${REGISTRY_V#v}" "${BIN}/registry" \
  "-s -w -X github.com/distribution/distribution/v3/version.version=${REGISTRY_V}"
go_build crictl e2e/cri-tools sigs.k8s.io/cri-tools/cmd/crictl "${CRICTL_V#v}" "${BIN}/crictl" \
  "-s -w -X sigs.k8s.io/cri-tools/pkg/version.Version=${CRICTL_V#v}"
go_build coredns e2e/coredns pve-k8s/tools/e2e/coredns "${COREDNS_V#v}" "${BIN}/coredns" "-s -w"
# kubeadm's etcd goes to its own folder: .cache/tools/bin/etcd is tools/versions.json's etcd.
mkdir -p "${BIN}/etcd-${ETCD_V#v}"
for cmd in etcd etcdctl; do
  pkg=go.etcd.io/etcd/server/v3; [[ $cmd == etcdctl ]] && pkg=go.etcd.io/etcd/etcdctl/v3
  go_build "${cmd}-kubeadm" e2e/etcd "$pkg" "${ETCD_V#v}" "${BIN}/etcd-${ETCD_V#v}/${cmd}" \
    "-s -w -X go.etcd.io/etcd/api/v3/version.GitSHA=${ETCD_V}"
done
for prog in pause hello; do
  go_build "$prog" e2e/images "pve-k8s/tools/e2e/images/${prog}" 0 "${BIN}/e2e-${prog}" "-s -w"
done

# reports <needle> <cmd...>: the command's output names the version (output captured first:
# grep -q would close the pipe early, and pipefail would report the writer's SIGPIPE).
reports() { local out; out="$("${@:2}" 2>&1)" && [[ "$out" == *"$1"* ]]; }
reports "${CRICTL_V#v}" "${BIN}/crictl" --version || die "crictl does not report ${CRICTL_V}"
reports "${COREDNS_V#v}" "${BIN}/coredns" -version || die "coredns does not report ${COREDNS_V}"
reports "etcd Version: ${ETCD_V#v}" "${BIN}/etcd-${ETCD_V#v}/etcd" --version || die "etcd does not report ${ETCD_V}"
log "ok: e2e tools (crane ${CRANE_V}, registry ${REGISTRY_V}, crictl ${CRICTL_V}, coredns ${COREDNS_V}, etcd ${ETCD_V}) ($(elapsed "$START") total)"
