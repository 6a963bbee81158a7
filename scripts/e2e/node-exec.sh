#!/usr/bin/env bash
# The e2e harness's PVE_K8S_NODE_EXEC for dist/<name>/upgrade.sh: instead of SSH, a root bash on
# node NAME (inside its container: mount, UTS, IPC, network and PID namespaces of its systemd)
# reading the node script on stdin, or running COMMAND with stdin passed through (the ssh and scp
# shims). E2E_RUN is the harness's run folder (nodes/NAME/pid).
#
#   node-exec.sh NAME IP [COMMAND]   # IP unused: the node is found by name
set -euo pipefail
(( $# == 2 || $# == 3 )) || { echo "usage: node-exec.sh NAME IP [COMMAND]" >&2; exit 2; }
nspawn=$(cat "${E2E_RUN:?}/nodes/$1/pid") || { echo "node-exec: no running container for $1" >&2; exit 1; }
init=$(pgrep -P "$nspawn" | head -n 1)
[[ -n "$init" ]] || { echo "node-exec: $1 has no init process (container pid ${nspawn})" >&2; exit 1; }
if (( $# == 3 )); then run=(-c "$3"); else run=(-s); fi
exec nsenter --target "$init" --mount --uts --ipc --net --pid -- \
  env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 bash "${run[@]}"
