#!/usr/bin/env bash
# Assembles the e2e test's container images offline with crane, from the binaries build-tools.sh
# made, into the registry storage .cache/e2e/registry (served later at the spec's registry mirror):
# every image the arguments name, under its registry.k8s.io (or docker.io) path. Each image gets its platform
# (linux/amd64: containerd refuses images without one) and a PATH.
#
#   bash scripts/e2e/build-images.sh registry.k8s.io/kube-apiserver:v1.30.3 ...
#
# Known images: kube-apiserver, kube-controller-manager, kube-scheduler (the binary of the tag's
# version: bin/ or bin/k8s-<version>/), kube-proxy (plus Debian's iptables, built with mmdebstrap),
# etcd (etcd, etcdctl and etcdutl of the tag's version), coredns/coredns (bin/coredns-<version> or bin/coredns),
# pause, pve-k8s-e2e/hello (the test workload) and docker.io/library/busybox (a stand-in built from
# Debian's busybox-static: the backup job's rotate step only needs sh, cp, mv, ls, tail, xargs, rm).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=scripts/e2e/lib.sh
source "${ROOT}/scripts/e2e/lib.sh"

(( $# > 0 )) || die "usage: build-images.sh IMAGE..."
STORE="${E2E_CACHE}/registry" PORT=15000
CRANE=("${TOOLS_BIN}/crane" --insecure)
[[ -x "${TOOLS_BIN}/crane" && -x "${TOOLS_BIN}/registry" ]] || die "crane/registry missing: run scripts/e2e/build-tools.sh"

key=$(hash_of "$*" "$0" "$(cd "$TOOLS_BIN" && sha256sum kube-* coredns* e2e-* etcd etcdctl etcdutl etcd-*/* k8s-*/kube-* 2>/dev/null)")
if stamp_ok images "$key" && [[ -d "$STORE" ]]; then
  log "images up to date (${STORE#"${ROOT}"/})"
  exit 0
fi
t0=$(date +%s)
work="$(mktemp -d)"; on_exit "rm -rf '${work}'"

# The registry on loopback while images are pushed.
OTEL_TRACES_EXPORTER=none REGISTRY_HTTP_ADDR="127.0.0.1:${PORT}" REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY="$STORE" \
  "${TOOLS_BIN}/registry" serve "${ROOT}/scripts/e2e/registry.yml" >"${work}/registry.log" 2>&1 &
registry_pid=$!
on_exit "kill ${registry_pid} 2>/dev/null; wait ${registry_pid} 2>/dev/null || true"
for _ in $(seq 50); do curl -fs "http://127.0.0.1:${PORT}/v2/" >/dev/null && break; sleep 0.2; done
curl -fs "http://127.0.0.1:${PORT}/v2/" >/dev/null || die "local registry did not start: $(cat "${work}/registry.log")"

# layer NAME: an empty image root with /tmp, /etc/passwd and /etc/nsswitch.conf.
layer() {
  local d="${work}/$1"
  mkdir -p "${d}/usr/local/bin" "${d}/etc" "${d}/tmp" "${d}/var/lib"
  chmod 1777 "${d}/tmp"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"${d}/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"${d}/etc/group"
  printf 'hosts: files dns\n' >"${d}/etc/nsswitch.conf"
  echo "$d"
}
# push REF DIR [BASE_TAR] [ENTRYPOINT]: DIR as a layer (over BASE_TAR), platform, PATH, entrypoint.
push() {
  local ref=$1 dir=$2 base=${3:-} entry=${4:-} local_ref args=()
  local_ref="127.0.0.1:${PORT}/$(path_of "$1")"
  tar -C "$dir" --owner=0 --group=0 --numeric-owner -cf "${dir}.tar" .
  [[ -n "$base" ]] && args+=(-f "$base")
  "${CRANE[@]}" append "${args[@]}" -f "${dir}.tar" -t "$local_ref" >/dev/null 2>>"${work}/crane.log" \
    || die "crane append ${ref} failed: $(tail -n 3 "${work}/crane.log")"
  args=(--set-platform linux/amd64 --env PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin)
  [[ -n "$entry" ]] && args+=(--entrypoint "$entry")
  "${CRANE[@]}" mutate "$local_ref" "${args[@]}" -t "$local_ref" >/dev/null 2>>"${work}/crane.log" \
    || die "crane mutate ${ref} failed: $(tail -n 3 "${work}/crane.log")"
  log "image ${ref}"
}
# path_of REF: the repository path in the local registry, which mirrors registry.k8s.io and docker.io.
path_of() { local p=${1#registry.k8s.io/}; echo "${p#docker.io/}"; }
# k8s_bin NAME TAG: the binary of that version: bin/k8s-<version>/ (the upgrade target) or bin/.
k8s_bin() { local d="${TOOLS_BIN}/k8s-${2#v}"; if [[ -x "${d}/$1" ]]; then echo "${d}/$1"; else echo "${TOOLS_BIN}/$1"; fi; }
# need_tag REF VERSION_OUTPUT NEEDLE: the image tag must be the version the binary reports.
need_tag() { [[ "$2" == *"$3"* ]] || die "$1: image tag $3 does not match the binary's version ($2)"; }

for ref in "$@"; do
  name=$(path_of "$ref"); repo="${name%:*}"; tag="${name##*:}"
  d=$(layer "$(echo "$repo" | tr / _)")
  case "$repo" in
    kube-apiserver|kube-controller-manager|kube-scheduler)
      bin=$(k8s_bin "$repo" "$tag")
      need_tag "$ref" "$("$bin" --version)" "$tag"
      cp "$bin" "${d}/usr/local/bin/"
      push "$ref" "$d" ;;
    kube-proxy)
      bin=$(k8s_bin kube-proxy "$tag")
      need_tag "$ref" "$("$bin" --version)" "$tag"
      base="${E2E_CACHE}/kube-proxy-base.tar"
      if [[ ! -s "$base" ]]; then
        log "kube-proxy base: Debian's iptables (mmdebstrap)"
        mmdebstrap --mode=root --format=tar --variant=essential --include=iptables,conntrack,kmod \
          --dpkgopt='path-exclude=/usr/share/{doc,man,locale,info}/*' \
          bookworm "${base}.tmp" "deb http://deb.debian.org/debian bookworm main" >"${work}/mmdebstrap.log" 2>&1 \
          || die "kube-proxy base image failed: $(tail -n 20 "${work}/mmdebstrap.log")"
        mv "${base}.tmp" "$base"
      fi
      cp "$bin" "${d}/usr/local/bin/"
      push "$ref" "$d" "$base" ;;
    etcd)
      v="${tag%-*}"
      src="${TOOLS_BIN}/etcd-${v}"; [[ -x "${src}/etcd" && -x "${src}/etcdutl" ]] || src="${TOOLS_BIN}"
      need_tag "$ref" "$("${src}/etcd" --version)" "etcd Version: ${v}"
      cp "${src}/etcd" "${src}/etcdctl" "${src}/etcdutl" "${d}/usr/local/bin/"
      mkdir -p "${d}/var/lib/etcd"
      push "$ref" "$d" ;;
    coredns/coredns)
      bin="${TOOLS_BIN}/coredns-${tag#v}"; [[ -x "$bin" ]] || bin="${TOOLS_BIN}/coredns"
      need_tag "$ref" "$("$bin" -version)" "${tag#v}"
      cp "$bin" "${d}/coredns"
      push "$ref" "$d" "" /coredns ;;
    pause)
      cp "${TOOLS_BIN}/e2e-pause" "${d}/pause"
      push "$ref" "$d" "" /pause ;;
    library/busybox)   # docker.io's busybox (the etcd-backup job's rotate step): Debian's busybox-static
      deb="${E2E_CACHE}/busybox-static.deb"
      if [[ ! -s "$deb" ]]; then
        (cd "$work" && { apt-get download busybox-static || { apt-get update -qq && apt-get download busybox-static; }; } >"${work}/apt.log" 2>&1) \
          || die "apt-get download busybox-static failed: $(tail -n 3 "${work}/apt.log")"
        mv "$work"/busybox-static_*.deb "$deb"
      fi
      dpkg-deb -x "$deb" "${work}/busybox-static"
      mkdir -p "${d}/bin"
      install -m 0755 "${work}/busybox-static/bin/busybox" "${d}/bin/busybox"
      for a in sh cat cp date ls mv rm tail xargs; do ln -s busybox "${d}/bin/${a}"; done
      push "$ref" "$d" ;;
    pve-k8s-e2e/hello)
      cp "${TOOLS_BIN}/e2e-hello" "${d}/hello"
      push "$ref" "$d" "" /hello ;;
    *) die "no recipe for image ${ref}" ;;
  esac
done
stamp_set images "$key"
log "images built in $(since "$t0")s: $(du -sh "$STORE" | cut -f1)"
