#!/usr/bin/env bash
# Builds, offline from Debian's packages (mmdebstrap, this host's Debian 12 sources), the e2e node
# image and the package pool of the e2e OS mirror:
#   .cache/e2e/rootfs   Debian 12 with systemd and cloud-init (what Debian's genericcloud image
#                       brings) plus the e2e environment profile (scripts/e2e/node-profile/)
#   .cache/e2e/pool     every .deb the nodes install from the OS mirror: the packages given as
#                       arguments (the cloud-configs' package lists and the dependencies of the
#                       test-built Kubernetes packages) with what they need beyond the image
# Debian's .debs are cached in .cache/e2e/apt-archives; a rerun with the same inputs is instant.
#
#   bash scripts/e2e/build-rootfs.sh PACKAGE...
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=scripts/e2e/lib.sh
source "${ROOT}/scripts/e2e/lib.sh"

(( $# > 0 )) || die "usage: build-rootfs.sh PACKAGE... (the packages the OS mirror must serve)"
command -v mmdebstrap >/dev/null || die "mmdebstrap not installed (apt-get install mmdebstrap)"

# What Debian 12's genericcloud image has that matters here; the rest comes from the mirror.
IMAGE_PACKAGES=(systemd-sysv dbus kmod udev cloud-init locales sudo openssh-server iproute2 netbase procps less iputils-ping)
SUITE=bookworm
MIRRORS=("deb http://deb.debian.org/debian ${SUITE} main" "deb http://deb.debian.org/debian ${SUITE}-updates main"
         "deb http://deb.debian.org/debian-security ${SUITE}-security main")
PROFILE="${ROOT}/scripts/e2e/node-profile"
ROOTFS="${E2E_CACHE}/rootfs" POOL="${E2E_CACHE}/pool" ARCHIVES="${E2E_CACHE}/apt-archives"

mirror_pkgs=$(printf '%s\n' "$@" | sort -u | tr '\n' ' ')
# Kernel modules: the nodes run the host's kernel. When the host has no /lib/modules (modules
# built in, as on this machine kind), the image gets an index naming the built-in modules the
# cloud-config loads, so its `modprobe overlay br_netfilter` succeeds as on a VM; when the host
# has /lib/modules, launch-node.sh binds it read-only instead.
KVER=$(uname -r)
BUILTIN_MODULES=(kernel/fs/overlayfs/overlay.ko kernel/net/bridge/br_netfilter.ko)
if [[ -d "/lib/modules/${KVER}" ]]; then modules_hook=':'; else
  # shellcheck disable=SC2016 # $1 is mmdebstrap's
  modules_hook="mkdir -p \"\$1/lib/modules/${KVER}\" && printf '%s\\n' ${BUILTIN_MODULES[*]} >\"\$1/lib/modules/${KVER}/modules.builtin\" && touch \"\$1/lib/modules/${KVER}/modules.order\" && chroot \"\$1\" depmod ${KVER}"
fi
key=$(hash_of "${IMAGE_PACKAGES[*]}" "$mirror_pkgs" "${MIRRORS[*]}" "$0" "$modules_hook" \
  "$(cd "$PROFILE" && find . -type f -print0 | sort -z | xargs -0 sha256sum)")
if stamp_ok rootfs "$key" && [[ -d "$ROOTFS" && -d "$POOL" ]]; then
  log "node image and OS package pool up to date (${ROOTFS#"${ROOT}"/})"
  exit 0
fi

log "building the node image with mmdebstrap (Debian ${SUITE}; image: ${IMAGE_PACKAGES[*]}; mirror: ${mirror_pkgs})"
t0=$(date +%s)
mkdir -p "$ARCHIVES"
tmp="${ROOTFS}.tmp" tmp_pool="${POOL}.tmp"
rm -rf "$tmp" "$tmp_pool"
mkdir -p "$tmp_pool"
# shellcheck disable=SC2016 # the hooks are run by mmdebstrap, which passes the root as $1
mmdebstrap --mode=root --variant=minbase --include="$(IFS=,; echo "${IMAGE_PACKAGES[*]}")" \
  --setup-hook='mkdir -p "$1/var/cache/apt/archives"' \
  --setup-hook="sync-in ${ARCHIVES} /var/cache/apt/archives" \
  --customize-hook="chroot \"\$1\" apt-get install --download-only --no-install-recommends -y -o Dir::Cache::archives=/var/cache/e2e-pool/ ${mirror_pkgs}" \
  --customize-hook="sync-out /var/cache/e2e-pool ${tmp_pool}" \
  --customize-hook="sync-out /var/cache/apt/archives ${ARCHIVES}" \
  --customize-hook='rm -rf "$1/var/cache/e2e-pool"' \
  --customize-hook="copy-in ${PROFILE}/. /" \
  --customize-hook="$modules_hook" \
  --customize-hook=': >"$1/etc/fstab"; rm -f "$1"/etc/ssh/ssh_host_*; : >"$1/etc/machine-id"; echo node >"$1/etc/hostname"' \
  --customize-hook='ln -sf /dev/null "$1/etc/systemd/system/proc-sys-fs-binfmt_misc.automount"' \
  "$SUITE" "$tmp" "${MIRRORS[@]}"
rm -f "$tmp_pool"/lock; rm -rf "$tmp_pool/partial"
rm -rf "$ROOTFS" "$POOL"
mv "$tmp" "$ROOTFS"; mv "$tmp_pool" "$POOL"
stamp_set rootfs "$key"
log "node image built in $(since "$t0")s: $(du -sh "$ROOTFS" | cut -f1), pool $(find "$POOL" -name '*.deb' | wc -l) packages"
