#!/usr/bin/env bash
# Builds the e2e test's Go tools from the Go module proxy into .cache/tools/bin (stamped, so a
# rerun is instant): the Kubernetes node and control-plane binaries (scripts/k8s-tools.sh,
# K8S_TOOLS=all), and from the wrapper modules under tools/e2e/: crane, the distribution
# registry, crictl, CoreDNS, and for the version the upgrade check goes to the Kubernetes binaries
# (tools/e2e/kubernetes-next), etcd (tools/e2e/etcd) and CoreDNS (tools/e2e/coredns-next), and the
# pause and hello images' programs.
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
# The upgrade target's etcd goes to its own folder: .cache/tools/bin/etcd is tools/versions.json's
# (the default version's, which the e2e's day 1 runs).
mkdir -p "${BIN}/etcd-${ETCD_V#v}"
for cmd in etcd etcdctl etcdutl; do
  pkg=go.etcd.io/etcd/server/v3; [[ $cmd != etcd ]] && pkg="go.etcd.io/etcd/${cmd}/v3"
  go_build "${cmd}-next" e2e/etcd "$pkg" "${ETCD_V#v}" "${BIN}/etcd-${ETCD_V#v}/${cmd}" \
    "-s -w -X go.etcd.io/etcd/api/v3/version.GitSHA=${ETCD_V}"
done
# The upgrade check's target version (tools/e2e/kubernetes-next/go.mod), into bin/k8s-<version>/.
NEXT_V="$(modver e2e/kubernetes-next k8s.io/kubernetes)"
NEXT_MAJOR=${NEXT_V#v}; NEXT_MAJOR=${NEXT_MAJOR%%.*}
NEXT_MINOR=${NEXT_V#v*.}; NEXT_MINOR=${NEXT_MINOR%%.*}
NEXT_LDFLAGS="-s -w"
for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  NEXT_LDFLAGS+=" -X ${p}.gitVersion=${NEXT_V} -X ${p}.gitMajor=${NEXT_MAJOR} -X ${p}.gitMinor=${NEXT_MINOR} -X ${p}.gitTreeState=clean"
done
mkdir -p "${BIN}/k8s-${NEXT_V#v}"
for cmd in kube-apiserver kubeadm kubectl kubelet kube-controller-manager kube-scheduler kube-proxy; do
  go_build "${cmd}-next" e2e/kubernetes-next "k8s.io/kubernetes/cmd/${cmd}" "${NEXT_V#v}" "${BIN}/k8s-${NEXT_V#v}/${cmd}" "$NEXT_LDFLAGS"
done
COREDNS_NEXT_V="$(modver e2e/coredns-next github.com/coredns/coredns)"
go_build coredns-next e2e/coredns-next pve-k8s/tools/e2e/coredns-next "${COREDNS_NEXT_V#v}" "${BIN}/coredns-${COREDNS_NEXT_V#v}" "-s -w"
for prog in pause hello; do
  go_build "$prog" e2e/images "pve-k8s/tools/e2e/images/${prog}" 0 "${BIN}/e2e-${prog}" "-s -w"
done

# reports <needle> <cmd...>: the command's output names the version (output captured first:
# grep -q would close the pipe early, and pipefail would report the writer's SIGPIPE).
reports() { local out; out="$("${@:2}" 2>&1)" && [[ "$out" == *"$1"* ]]; }
reports "${CRICTL_V#v}" "${BIN}/crictl" --version || die "crictl does not report ${CRICTL_V}"
reports "${COREDNS_V#v}" "${BIN}/coredns" -version || die "coredns does not report ${COREDNS_V}"
reports "etcd Version: ${ETCD_V#v}" "${BIN}/etcd-${ETCD_V#v}/etcd" --version || die "etcd does not report ${ETCD_V}"
reports "${NEXT_V}" "${BIN}/k8s-${NEXT_V#v}/kubeadm" version -o short || die "kubeadm-next does not report ${NEXT_V}"
log "ok: e2e tools (crane ${CRANE_V}, registry ${REGISTRY_V}, crictl ${CRICTL_V}, coredns ${COREDNS_V}, etcd ${ETCD_V}, Kubernetes ${NEXT_V} for the upgrade) ($(elapsed "$START") total)"
