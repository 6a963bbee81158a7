#!/usr/bin/env bash
# Builds the e2e package mirrors under .cache/e2e/www (served at the spec's mirror URLs):
#   debian/       an apt archive (suites bookworm, bookworm-updates, bookworm-security; component
#                 main) holding .cache/e2e/pool (Debian's own packages, see build-rootfs.sh)
#   <K8S_PATH>/   a flat repository like pkgs.k8s.io's holding test-built kubeadm, kubelet, kubectl,
#                 cri-tools and kubernetes-cni packages (dpkg-deb) at the versions the cloud-config
#                 pins, with the binaries from .cache/tools/bin
# Both are signed with a throwaway key made once (.cache/e2e/gnupg); its public half is
# .cache/e2e/repo-key.asc, which the harness puts in its work copy of the e2e spec.
#
#   bash scripts/e2e/build-repos.sh K8S_PATH KUBE_VERSION CRI_TOOLS_VERSION
#   e.g. build-repos.sh kubernetes/v1.30/deb 1.30.3-1.1 1.30.1-1.1
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=scripts/e2e/lib.sh
source "${ROOT}/scripts/e2e/lib.sh"

(( $# == 3 )) || die "usage: build-repos.sh K8S_PATH KUBE_VERSION CRI_TOOLS_VERSION"
K8S_PATH=$1 KUBE_VERSION=$2 CRI_TOOLS_VERSION=$3
SUITE=bookworm ARCH=amd64
WWW="${E2E_CACHE}/www" POOL="${E2E_CACHE}/pool" PKG_SRC="${ROOT}/scripts/e2e/packages"
KEY_ASC="${E2E_CACHE}/repo-key.asc"
[[ -d "$POOL" ]] || die "no package pool: run scripts/e2e/build-rootfs.sh first"

repo_key

bins=(kubeadm kubelet kubectl crictl)
for b in "${bins[@]}"; do [[ -x "${TOOLS_BIN}/$b" ]] || die "${TOOLS_BIN}/$b missing: run scripts/e2e/build-tools.sh"; done
key=$(hash_of "$@" "$0" "$KEY_ASC" "$(find "$POOL" -name '*.deb' | sort)" "$(cd "$PKG_SRC" && sha256sum ./*)" \
  "$(cd "$TOOLS_BIN" && sha256sum "${bins[@]}")")
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

# --- the Kubernetes repository -----------------------------------------------------------------
# mkdeb NAME VERSION DEPENDS DESCRIPTION (files already staged under $stage/NAME)
k8s_root="${tmp}/${K8S_PATH}"
mkdir -p "$k8s_root"
stage="$(mktemp -d)"; on_exit "rm -rf '${stage}'"
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

# kubernetes-cni: the containernetworking plugins from Debian's package, in /opt/cni/bin like upstream.
cni_deb=$(find "$POOL" -name 'containernetworking-plugins_*.deb' | head -n1)
[[ -n "$cni_deb" ]] || die "containernetworking-plugins is not in the pool"
cni_version=$(dpkg-deb -f "$cni_deb" Version)
dpkg-deb -x "$cni_deb" "${stage}/cni-src"
for p in bridge host-local loopback portmap; do put 0755 "${stage}/cni-src/usr/lib/cni/$p" "kubernetes-cni/opt/cni/bin/$p"; done
mkdeb kubernetes-cni "${cni_version%%-*}-e2e" "" "CNI plugins (Debian's containernetworking-plugins ${cni_version})"

put 0755 "${TOOLS_BIN}/crictl" cri-tools/usr/bin/crictl
mkdeb cri-tools "$CRI_TOOLS_VERSION" "" "crictl ($("${TOOLS_BIN}/crictl" --version | awk '{print $NF}'); the proxy does not serve the pinned release)"
put 0755 "${TOOLS_BIN}/kubectl" kubectl/usr/bin/kubectl
mkdeb kubectl "$KUBE_VERSION" "" "Kubernetes command line tool"
put 0755 "${TOOLS_BIN}/kubelet" kubelet/usr/bin/kubelet
put 0644 "${PKG_SRC}/kubelet.service" kubelet/lib/systemd/system/kubelet.service
mkdeb kubelet "$KUBE_VERSION" "kubernetes-cni (>= 1.1.1), ${KUBELET_DEB_DEPENDS}" "Kubernetes node agent"
put 0755 "${TOOLS_BIN}/kubeadm" kubeadm/usr/libexec/pve-k8s-e2e/kubeadm
put 0755 "${PKG_SRC}/kubeadm-wrapper" kubeadm/usr/bin/kubeadm
put 0644 "${PKG_SRC}/10-kubeadm.conf" kubeadm/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf
mkdeb kubeadm "$KUBE_VERSION" "kubelet (>= 1.19.0), kubectl (>= 1.13.0), kubernetes-cni (>= 1.1.1), cri-tools (>= 1.25.0)" "Kubernetes cluster bootstrapping tool"

(cd "$k8s_root" && apt-ftparchive packages . >Packages && gzip -9kn Packages)
sign_release "$k8s_root"
cp "$KEY_ASC" "${k8s_root}/Release.key"

rm -rf "$WWW"; mv "$tmp" "$WWW"
stamp_set repos "$key"
log "package mirrors built in $(since "$t0")s: debian $(find "${WWW}/debian/pool" -name '*.deb' | wc -l) packages, ${K8S_PATH} $(find "${WWW}/${K8S_PATH}" -name '*.deb' | wc -l) packages"
