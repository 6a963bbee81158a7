#!/usr/bin/env bash
# node-exec.sh NODE_IP COMMAND: runs COMMAND with bash as root "on" an emulated control plane of
# scripts/verify-etcd-restore.sh: in the node's network namespace, chrooted into its root
# (this machine's /usr read-only, the node's own /etc/kubernetes, /var/lib, /tmp, /root), with
# the node-side stubs (sudo, ctr, crictl) first in PATH. Nodes are listed in $ER_NODES
# ("ip name netns root" per line).
set -euo pipefail
ip=$1 cmd=$2
read -r name ns root < <(awk -v ip="$ip" '$1 == ip { print $2, $3, $4 }' "${ER_NODES:?}") \
  || { echo "ssh: connect to host $ip port 22: No route to host (not an emulated node)" >&2; exit 255; }
# shellcheck disable=SC2016 # expanded by the inner bash
setup='set -eu
R=$1
mount -t proc proc "$R/proc"
mount --rbind /dev "$R/dev"
mount --bind /usr "$R/usr" && mount -o remount,bind,ro "$R/usr"
mount --bind "$2" "$R/opt/shims" && mount -o remount,bind,ro "$R/opt/shims"
mount --bind "$3" "$R/opt/etcd/bin" && mount -o remount,bind,ro "$R/opt/etcd/bin"
exec chroot "$R" /usr/bin/env -i PATH=/opt/shims:/usr/sbin:/usr/bin HOME=/root NODE_NAME="$4" ETCD_IMAGE="$5" /bin/bash -c "$6"'
exec timeout 120 ip netns exec "$ns" unshare --mount --propagation private \
  bash -c "$setup" node-exec "$root" "$ER_HELPERS/shims/node" "$ER_TOOLS_BIN" "$name" "${ER_ETCD_IMAGE:?}" "$cmd"
