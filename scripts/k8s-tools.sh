#!/usr/bin/env bash
# Builds the pinned Kubernetes binaries (kubeadm, kube-apiserver, kubectl from
# k8s.io/kubernetes) and etcd (etcd, etcdctl, etcdutl) from the Go module proxy
# into .cache/tools/bin, next to what scripts/tools.sh builds.
#
#   bash scripts/k8s-tools.sh                    # build what is missing (idempotent)
#   TOOLS_FORCE=1 bash scripts/k8s-tools.sh      # rebuild everything
#   K8S_TOOLS="kubeadm" bash scripts/k8s-tools.sh  # only these (space separated)
#
# Versions come from tools/versions.json ("kubernetes", "etcd"); the wrapper
# modules tools/kubernetes/go.mod and tools/kubernetes/etcd/go.mod must pin the
# same versions (checked). Same conventions as scripts/tools.sh (stamps,
# GOTOOLCHAIN=local, -mod=readonly, -trimpath); tools.sh is not factored into a
# sourceable library, so the few helpers are duplicated here.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${ROOT}/.cache/tools"
BIN="${CACHE}/bin"
STAMPS="${CACHE}/stamps"
START=$(date +%s)

log()  { printf '[tools] %s\n' "$*" >&2; }
die()  { printf '[tools] ERROR: %s\n' "$*" >&2; exit 1; }
elapsed() { echo "$(( $(date +%s) - $1 ))s"; }

command -v go   >/dev/null 2>&1 || die "go not found in PATH (need Go >= 1.22)"
command -v node >/dev/null 2>&1 || die "node not found in PATH"

ver() { node -p "require(process.argv[1])[process.argv[2]] || ''" "${ROOT}/tools/versions.json" "$1"; }
K8S_VERSION="$(ver kubernetes)"
ETCD_VERSION="$(ver etcd)"
[[ -n "$K8S_VERSION" && -n "$ETCD_VERSION" ]] \
  || die "tools/versions.json is missing \"kubernetes\" or \"etcd\""
K8S_MAJOR="${K8S_VERSION%%.*}"
K8S_MINOR="${K8S_VERSION#*.}"; K8S_MINOR="${K8S_MINOR%%.*}"

export GOTOOLCHAIN=local
export GOFLAGS="-mod=readonly -trimpath -buildvcs=false"
export CGO_ENABLED=0
GOOS="$(go env GOOS)"; GOARCH="$(go env GOARCH)"
GO_VERSION="$(go env GOVERSION)"

mkdir -p "$BIN" "$STAMPS"

WANT="${K8S_TOOLS:-kubeadm kube-apiserver kubectl etcd etcdctl etcdutl}"
wanted() { [[ " ${WANT} " == *" $1 "* ]]; }

# check_pin <module-dir> <module-path> <version>
check_pin() {
  local moddir="${ROOT}/tools/$1" modpath=$2 version=$3 pinned
  [[ -f "${moddir}/go.mod" && -f "${moddir}/go.sum" ]] || die "${moddir}/go.mod or go.sum missing"
  pinned="$(cd "$moddir" && go list -m -f '{{.Version}}' "$modpath")" \
    || die "cannot read ${modpath} version from tools/$1/go.mod"
  [[ "$pinned" == "v${version}" ]] \
    || die "tools/$1/go.mod pins ${modpath} ${pinned} but tools/versions.json says v${version}"
}

# build <name> <module-dir> <package> <version> <out-binary> <ldflags>
build() {
  local name=$1 dir=$2 pkg=$3 version=$4 out=$5 ldflags=$6
  wanted "$name" || return 0
  local moddir="${ROOT}/tools/${dir}"
  local key stamp
  key="$( { cat "${moddir}/go.mod" "${moddir}/go.sum"; echo "$pkg $GOFLAGS $CGO_ENABLED $ldflags"; } | sha256sum | cut -c1-16)"
  stamp="${STAMPS}/${name}-v${version}-${GO_VERSION}-${GOOS}_${GOARCH}-${key}"
  if [[ -z "${TOOLS_FORCE:-}" && -f "$stamp" && -x "$out" ]]; then
    log "${name} v${version} up to date ($(basename "$out"))"
    return 0
  fi
  log "building ${name} v${version} with ${GO_VERSION} (${pkg}) ..."
  local t0; t0=$(date +%s)
  rm -f "${STAMPS}/${name}-v"*
  local tmp="${out}.tmp.$$"
  if ! (cd "$moddir" && go build -ldflags "$ldflags" -o "$tmp" "$pkg"); then
    rm -f "$tmp"
    die "building ${name} v${version} FAILED after $(elapsed "$t0") (module tools/${dir})"
  fi
  mv -f "$tmp" "$out"
  touch "$stamp"
  log "built ${name} v${version} in $(elapsed "$t0") -> ${out#"${ROOT}"/} ($(du -m "$out" | cut -f1) MB)"
}

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
expect etcd           "etcd Version: ${ETCD_VERSION}"  "${BIN}/etcd" --version
expect etcdctl        "etcdctl version: ${ETCD_VERSION}" "${BIN}/etcdctl" version
expect etcdutl        "etcdutl version: ${ETCD_VERSION}" "${BIN}/etcdutl" version

log "ok: kubernetes v${K8S_VERSION} (${WANT}), etcd v${ETCD_VERSION} ($(elapsed "$START") total)"
