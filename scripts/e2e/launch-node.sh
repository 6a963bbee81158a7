#!/usr/bin/env bash
# Runs one node container in the foreground (the harness starts it in the background):
#   launch-node.sh NAME ROOT NETNS CONTAINERD_DIR
# Without systemd-machined on the host, nspawn would leave the node's processes in the host's
# root cgroups; so this script first makes a cgroup pve-k8s-e2e/NAME in every hierarchy and moves
# itself there, then execs systemd-nspawn (its processes inherit the cgroups).
set -euo pipefail
(( $# == 4 )) || { echo "usage: launch-node.sh NAME ROOT NETNS CONTAINERD_DIR" >&2; exit 2; }
name=$1 root=$2 netns=$3 containerd_dir=$4

while IFS=: read -r _ ctrl path; do
  case "$ctrl" in
    "") h=unified ;;
    name=systemd) h=systemd ;;
    *) h=$ctrl ;;
  esac
  [[ -d "/sys/fs/cgroup/$h" ]] || continue
  base="/sys/fs/cgroup/${h}${path%/}"
  for d in pve-k8s-e2e "pve-k8s-e2e/${name}"; do
    mkdir -p "${base}/${d}"
    if [[ "$h" == cpuset ]]; then   # a v1 cpuset cgroup takes no task until it has cpus and mems
      cat "$(dirname "${base}/${d}")/cpuset.cpus" >"${base}/${d}/cpuset.cpus"
      cat "$(dirname "${base}/${d}")/cpuset.mems" >"${base}/${d}/cpuset.mems"
    fi
  done
  echo $$ >"${base}/pve-k8s-e2e/${name}/cgroup.procs"
done </proc/self/cgroup

# SYSTEMD_SECCOMP=0: nspawn's seccomp filter would stop runc joining a session keyring.
# --keep-unit/--register=no: no machined/system bus here. --resolv-conf=off: the host's resolver
# must never be copied in (the harness writes the node's own). CAP_SYS_TIME is dropped so time
# sync inside a node can never move the host clock (Debian's chrony unit then skips itself).
export SYSTEMD_SECCOMP=0
modules=()   # the host's kernel modules, when it has them on disk (see build-rootfs.sh)
[[ -d "/lib/modules/$(uname -r)" ]] && modules=(--bind-ro="/lib/modules/$(uname -r)")
exec systemd-nspawn --quiet -D "$root" -M "$name" --register=no --keep-unit \
  --network-namespace-path="/run/netns/${netns}" --capability=all --drop-capability=CAP_SYS_TIME \
  --private-users=no --bind=/dev/kmsg --bind="${containerd_dir}:/var/lib/containerd" "${modules[@]}" \
  --resolv-conf=off --timezone=off --link-journal=no --kill-signal=SIGRTMIN+3 --console=pipe \
  /usr/local/sbin/e2e-init
