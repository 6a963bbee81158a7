#!/usr/bin/env bash
# Builds the e2e package mirrors under .cache/e2e/www (served at the spec's mirror URLs):
#   debian/       an apt archive (suites bookworm, bookworm-updates, bookworm-security; component
#                 main) holding .cache/e2e/pool (Debian's own packages, see build-rootfs.sh)
#   <K8S_PATH>/   per minor, a flat repository like pkgs.k8s.io's holding test-built kubeadm, kubelet,
#                 kubectl, cri-tools and kubernetes-cni packages (dpkg-deb) at the versions the
#                 cloud-config (or the upgrade) pins, with the binaries from BIN_DIR
# Both are signed with a throwaway key made once (.cache/e2e/gnupg); its public half is
# .cache/e2e/repo-key.asc, which the harness puts in its work copy of the e2e spec.
#
#   bash scripts/e2e/build-repos.sh K8S_PATH KUBE_VERSION CRI_TOOLS_VERSION BIN_DIR [...]
#   e.g. build-repos.sh kubernetes/v1.30/deb 1.30.3-1.1 1.30.1-1.1 .cache/tools/bin \
#                       kubernetes/v1.31/deb 1.31.4-1.1 1.31.1-1.1 .cache/tools/bin/k8s-1.31.4
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=scripts/e2e/lib.sh
source "${ROOT}/scripts/e2e/lib.sh"

(( $# > 0 && $# % 4 == 0 )) || die "usage: build-repos.sh K8S_PATH KUBE_VERSION CRI_TOOLS_VERSION BIN_DIR [K8S_PATH KUBE_VERSION CRI_TOOLS_VERSION BIN_DIR]..."
SUITE=bookworm ARCH=amd64
WWW="${E2E_CACHE}/www" POOL="${E2E_CACHE}/pool" PKG_SRC="${ROOT}/scripts/e2e/packages"
KEY_ASC="${E2E_CACHE}/repo-key.asc"
[[ -d "$POOL" ]] || die "no package pool: run scripts/e2e/build-rootfs.sh first"

repo_key

sums=$(sha256sum "${TOOLS_BIN}/crictl")
for (( i = 4; i <= $#; i += 4 )); do
  for b in kubeadm kubelet kubectl; do
    [[ -x "${!i}/$b" ]] || die "${!i}/$b missing: run scripts/e2e/build-tools.sh"
    sums+=$(sha256sum "${!i}/$b")
  done
done
key=$(hash_of "$@" "$0" "$KEY_ASC" "$(find "$POOL" -name '*.deb' | sort)" "$(cd "$PKG_SRC" && sha256sum ./*)" "$sums")
if stamp_ok repos "$key" && [[ -d "$WWW" ]]; then
  log "package mirrors up to date (${WWW#"${ROOT}"/})"
  exit 0
fi
t0=$(date +%s)
tmp="${WWW}.tmp"; rm -rf "$tmp"; mkdir -p "$tmp"

# sign_release DIR [SUITE COMPONENT]: Release, InRelease and Release.gpg for the index files in
# DIR (a flat repository has no suite).
sign_release() {
  local dir=$1 opts=(-o "APT::FTPArchive::Release::Origin=pve-k8s-e2e" -o "APT::FTPArchive::Release::Label=pve-k8s-e2e"
    -o "APT::FTPArchive::Release::Architectures=${ARCH}")
  (( $# == 3 )) && opts+=(-o "APT::FTPArchive::Release::Suite=$2" -o "APT::FTPArchive::Release::Codename=$2"
    -o "APT::FTPArchive::Release::Components=$3")
  apt-ftparchive "${opts[@]}" release "$dir" >"${dir}/Release.tmp"
  mv "${dir}/Release.tmp" "${dir}/Release"
  gpg --batch --yes --clearsign -o "${dir}/InRelease" "${dir}/Release"
  gpg --batch --yes --armor --detach-sign -o "${dir}/Release.gpg" "${dir}/Release"
}

# --- the Debian mirror -------------------------------------------------------------------------
deb_root="${tmp}/debian"
mkdir -p "${deb_root}/pool/main"
cp -l "$POOL"/*.deb "${deb_root}/pool/main/" 2>/dev/null || cp "$POOL"/*.deb "${deb_root}/pool/main/"
for suite in "$SUITE" "${SUITE}-updates" "${SUITE}-security"; do
  idx="${deb_root}/dists/${suite}/main/binary-${ARCH}"
  mkdir -p "$idx"
  if [[ "$suite" == "$SUITE" ]]; then
    (cd "$deb_root" && apt-ftparchive packages pool/main) >"${idx}/Packages"
  else
    : >"${idx}/Packages"   # every package is in the main suite; the others exist, empty
  fi
  gzip -9kn "${idx}/Packages"
  sign_release "${deb_root}/dists/${suite}" "$suite" main
done

# --- the Kubernetes repositories ---------------------------------------------------------------
# mkdeb NAME VERSION DEPENDS DESCRIPTION (files already staged under $stage/NAME) into $k8s_root
stage_root="$(mktemp -d)"; on_exit "rm -rf '${stage_root}'"
mkdeb() {
  local name=$1 version=$2 depends=$3 description=$4 dir="${stage}/$1"
  mkdir -p "${dir}/DEBIAN"
  {
    printf 'Package: %s\nVersion: %s\nArchitecture: %s\nMaintainer: pve-k8s e2e <e2e@pve-k8s.test>\n' "$name" "$version" "$ARCH"
    printf 'Section: admin\nPriority: optional\n'
    [[ -n "$depends" ]] && printf 'Depends: %s\n' "$depends"
    printf 'Description: %s\n Test-built for the pve-k8s e2e test (scripts/e2e/build-repos.sh).\n' "$description"
  } >"${dir}/DEBIAN/control"
  dpkg-deb --root-owner-group -Zgzip --build "$dir" "${k8s_root}/${name}_${version}_${ARCH}.deb" >/dev/null
}
put() { install -D -m "$1" "$2" "${stage}/$3"; }   # put MODE SRC PACKAGE/PATH

# k8s_repo PATH KUBE_VERSION CRI_TOOLS_VERSION BIN_DIR: one minor's flat repository.
k8s_repo() {
  local path=$1 kube_version=$2 cri_version=$3 bin=$4 cni_deb cni_version
  k8s_root="${tmp}/${path}"; stage="${stage_root}/${path//\//_}"
  mkdir -p "$k8s_root" "$stage"
  # kubernetes-cni: the containernetworking plugins from Debian's package, in /opt/cni/bin like upstream.
  cni_deb=$(find "$POOL" -name 'containernetworking-plugins_*.deb' | head -n1)
  [[ -n "$cni_deb" ]] || die "containernetworking-plugins is not in the pool"
  cni_version=$(dpkg-deb -f "$cni_deb" Version)
  dpkg-deb -x "$cni_deb" "${stage}/cni-src"
  for p in bridge host-local loopback portmap; do put 0755 "${stage}/cni-src/usr/lib/cni/$p" "kubernetes-cni/opt/cni/bin/$p"; done
  mkdeb kubernetes-cni "${cni_version%%-*}-e2e" "" "CNI plugins (Debian's containernetworking-plugins ${cni_version})"

  put 0755 "${TOOLS_BIN}/crictl" cri-tools/usr/bin/crictl
  mkdeb cri-tools "$cri_version" "" "crictl ($("${TOOLS_BIN}/crictl" --version | awk '{print $NF}'); the proxy does not serve the pinned release)"
  put 0755 "${bin}/kubectl" kubectl/usr/bin/kubectl
  mkdeb kubectl "$kube_version" "" "Kubernetes command line tool"
  put 0755 "${bin}/kubelet" kubelet/usr/bin/kubelet
  put 0644 "${PKG_SRC}/kubelet.service" kubelet/lib/systemd/system/kubelet.service
  mkdeb kubelet "$kube_version" "kubernetes-cni (>= 1.1.1), ${KUBELET_DEB_DEPENDS}" "Kubernetes node agent"
  put 0755 "${bin}/kubeadm" kubeadm/usr/libexec/pve-k8s-e2e/kubeadm
  put 0755 "${PKG_SRC}/kubeadm-wrapper" kubeadm/usr/bin/kubeadm
  put 0644 "${PKG_SRC}/10-kubeadm.conf" kubeadm/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf
  mkdeb kubeadm "$kube_version" "kubelet (>= 1.19.0), kubectl (>= 1.13.0), kubernetes-cni (>= 1.1.1), cri-tools (>= 1.25.0)" "Kubernetes cluster bootstrapping tool"

  (cd "$k8s_root" && apt-ftparchive packages . >Packages && gzip -9kn Packages)
  sign_release "$k8s_root"
  cp "$KEY_ASC" "${k8s_root}/Release.key"
}
repos=()
while (( $# > 0 )); do
  k8s_repo "$1" "$2" "$3" "$4"
  repos+=("$1 $(find "${tmp}/$1" -name '*.deb' | wc -l) packages")
  shift 4
done

rm -rf "$WWW"; mv "$tmp" "$WWW"
stamp_set repos "$key"
log "package mirrors built in $(since "$t0")s: debian $(find "${WWW}/debian/pool" -name '*.deb' | wc -l) packages, $(IFS=,; echo "${repos[*]}")"
