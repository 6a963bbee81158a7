#!/usr/bin/env bash
# Builds the pinned Kubernetes binaries (kubeadm, kube-apiserver, kubectl from
# k8s.io/kubernetes) and etcd (etcd, etcdctl, etcdutl) from the Go module proxy
# into .cache/tools/bin, next to what scripts/tools.sh builds. The node binaries
# (kubelet, kube-controller-manager, kube-scheduler, kube-proxy) are built only
# when asked for by name: the e2e test (scripts/e2e/) needs them, verify does not.
#
#   bash scripts/k8s-tools.sh                    # build what is missing (idempotent)
#   TOOLS_FORCE=1 bash scripts/k8s-tools.sh      # rebuild everything
#   K8S_TOOLS="kubeadm" bash scripts/k8s-tools.sh  # only these (space separated)
#   K8S_TOOLS=all bash scripts/k8s-tools.sh      # also kubelet, kube-controller-manager, kube-scheduler, kube-proxy
#
# Versions come from tools/versions.json ("kubernetes", "etcd"); the wrapper
# modules tools/kubernetes/go.mod and tools/kubernetes/etcd/go.mod must pin the
# same versions (checked). Shares scripts/lib/go-tools.sh with scripts/tools.sh.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/lib/go-tools.sh
source "${ROOT}/scripts/lib/go-tools.sh"

K8S_VERSION="$(ver kubernetes)"
ETCD_VERSION="$(ver etcd)"
[[ -n "$K8S_VERSION" && -n "$ETCD_VERSION" ]] \
  || die "tools/versions.json is missing \"kubernetes\" or \"etcd\""
K8S_MAJOR="${K8S_VERSION%%.*}"
K8S_MINOR="${K8S_VERSION#*.}"; K8S_MINOR="${K8S_MINOR%%.*}"

WANT="${K8S_TOOLS:-kubeadm kube-apiserver kubectl etcd etcdctl etcdutl}"
# Everything this script can build (K8S_TOOLS=all).
ALL_TOOLS="kube-apiserver kubeadm kubectl kubelet kube-controller-manager kube-scheduler kube-proxy etcd etcdctl etcdutl"
[[ "$WANT" == all ]] && WANT="$ALL_TOOLS"
wanted() { [[ " ${WANT} " == *" $1 "* ]]; }

# build <name> ...: go_build, for the binaries selected by K8S_TOOLS only.
build() { wanted "$1" || return 0; go_build "$@"; }

check_pin kubernetes k8s.io/kubernetes "$K8S_VERSION"
check_pin kubernetes/etcd go.etcd.io/etcd/server/v3 "$ETCD_VERSION"

# What hack/lib/version.sh sets for a release build. buildDate/gitCommit are
# left at their defaults so the binaries stay reproducible.
K8S_LDFLAGS="-s -w"
for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  K8S_LDFLAGS+=" -X ${p}.gitVersion=v${K8S_VERSION} -X ${p}.gitMajor=${K8S_MAJOR} -X ${p}.gitMinor=${K8S_MINOR} -X ${p}.gitTreeState=clean"
done
# etcd's version is a constant in go.etcd.io/etcd/api/v3/version; only GitSHA is a variable.
ETCD_LDFLAGS="-s -w -X go.etcd.io/etcd/api/v3/version.GitSHA=v${ETCD_VERSION}"

# kube-apiserver first: it is the largest; kubeadm/kubectl reuse most of its
# compiled packages from the Go build cache.
build kube-apiserver kubernetes k8s.io/kubernetes/cmd/kube-apiserver "$K8S_VERSION" "${BIN}/kube-apiserver" "$K8S_LDFLAGS"
build kubeadm        kubernetes k8s.io/kubernetes/cmd/kubeadm        "$K8S_VERSION" "${BIN}/kubeadm"        "$K8S_LDFLAGS"
build kubectl        kubernetes k8s.io/kubernetes/cmd/kubectl        "$K8S_VERSION" "${BIN}/kubectl"        "$K8S_LDFLAGS"
for cmd in kubelet kube-controller-manager kube-scheduler kube-proxy; do
  build "$cmd" kubernetes "k8s.io/kubernetes/cmd/${cmd}" "$K8S_VERSION" "${BIN}/${cmd}" "$K8S_LDFLAGS"
done
build etcd    kubernetes/etcd go.etcd.io/etcd/server/v3  "$ETCD_VERSION" "${BIN}/etcd"    "$ETCD_LDFLAGS"
build etcdctl kubernetes/etcd go.etcd.io/etcd/etcdctl/v3 "$ETCD_VERSION" "${BIN}/etcdctl" "$ETCD_LDFLAGS"
build etcdutl kubernetes/etcd go.etcd.io/etcd/etcdutl/v3 "$ETCD_VERSION" "${BIN}/etcdutl" "$ETCD_LDFLAGS"

# Smoke-check: the binaries run and report the pinned versions.
expect() { # expect <name> <needle> <cmd...>
  local name=$1 needle=$2; shift 2
  wanted "$name" || return 0
  local out; out="$("$@" 2>&1)" || die "built ${name} does not run: ${out}"
  [[ "$out" == *"$needle"* ]] || die "built ${name} reports '${out}', expected '${needle}'"
}
expect kubeadm        "GitVersion:\"v${K8S_VERSION}\"" "${BIN}/kubeadm" version
expect kube-apiserver "Kubernetes v${K8S_VERSION}"     "${BIN}/kube-apiserver" --version
expect kubectl        "v${K8S_VERSION}"                "${BIN}/kubectl" version --client
for cmd in kubelet kube-controller-manager kube-scheduler kube-proxy; do
  expect "$cmd" "Kubernetes v${K8S_VERSION}" "${BIN}/${cmd}" --version
done
expect etcd           "etcd Version: ${ETCD_VERSION}"  "${BIN}/etcd" --version
expect etcdctl        "etcdctl version: ${ETCD_VERSION}" "${BIN}/etcdctl" version
expect etcdutl        "etcdutl version: ${ETCD_VERSION}" "${BIN}/etcdutl" version

log "ok: kubernetes v${K8S_VERSION} (${WANT}), etcd v${ETCD_VERSION} ($(elapsed "$START") total)"
