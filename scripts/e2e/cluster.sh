# shellcheck shell=bash
# The e2e test network and node containers (source after lib.sh; root only).
#
# Network: a namespace "e2e-br" holds the bridge with the spec's gateway address (where the
# mirrors listen); each node gets namespace "e2e-<index>" with a veth on that bridge, its
# address and default route from the Terraform initialization block. Nothing has an uplink:
# only 198.18.0.0/15 exists inside. Pod networking (the harness's CNI, spec cni: none): each
# node's bridge CNI hands out its own /24 of the pod CIDR, and every namespace routes each
# node's /24 to that node.
#
# Nodes: the node image as the lower layer of an overlay (the node's "disk" is its upper layer
# plus a plain folder for /var/lib/containerd, whose overlayfs snapshotter cannot sit on overlay),
# booted with systemd-nspawn by launch-node.sh.

BR_NS=e2e-br
RUN="${RUN:-${E2E_CACHE}/run}"
NODES_JSON="${RUN}/nodes.json"
declare -A NODE_PID=()

# node_field NAME FIELD: a field of nodes.json (written by user-data.mjs).
node_field() { node -e 'const n=require(process.argv[1]).find(x=>x.name===process.argv[2]); if(!n) process.exit(1); const v=n[process.argv[3]]; console.log(Array.isArray(v)?v.join(" "):v)' "$NODES_JSON" "$1" "$2"; }
node_names() { node -e 'for (const n of require(process.argv[1])) console.log(n.name)' "$NODES_JSON"; }
node_index() { node -e 'console.log(require(process.argv[1]).findIndex(x=>x.name===process.argv[2])+1)' "$NODES_JSON" "$1"; }
node_ns() { echo "e2e-$(node_index "$1")"; }
node_root() { echo "${RUN}/nodes/$1/root"; }
in_br() { ip netns exec "$BR_NS" "$@"; }

net_up() {   # net_up GATEWAY PREFIX
  log "network: namespace ${BR_NS}, bridge with $1/$2, no uplink"
  ip netns add "$BR_NS"
  on_exit net_down
  ip -n "$BR_NS" link set lo up
  ip -n "$BR_NS" link add br0 type bridge
  ip -n "$BR_NS" addr add "$1/$2" dev br0
  ip -n "$BR_NS" link set br0 up
}

# reap_stale_run: only with the machine-wide lock held (no other run is alive). A run killed without
# its teardown leaves node processes, overlay mounts (source "e2e-<node>") and e2e-* namespaces;
# the next run removes them and says so.
reap_stale_run() {
  local ns pid mnt reaped=()
  for ns in $(ip netns list | awk '{print $1}' | grep -E '^e2e-' || true); do
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
    reaped+=("netns ${ns}")
  done
  while read -r mnt; do
    umount "$mnt" 2>/dev/null || umount -l "$mnt" || warn "mount ${mnt} not removed"
    reaped+=("mount ${mnt}")
  done < <(awk '$1 ~ /^e2e-/ && $3 == "overlay" {print $2}' /proc/mounts)
  (( ${#reaped[@]} )) || return 0
  net_down
  warn "removed what a killed e2e run left: ${reaped[*]}"
}

net_down() {
  local ns
  for ns in $(ip netns list | awk '{print $1}' | grep -E '^e2e-' || true); do ip netns del "$ns" || warn "netns $ns not removed"; done
}

# node_net_up NAME: the node's namespace, veth, address, default route; pod routes to every node.
node_net_up() {
  local name=$1 ns idx ip prefix gw
  ns=$(node_ns "$name"); idx=$(node_index "$name")
  ip=$(node_field "$name" ip); prefix=$(node_field "$name" prefix); gw=$(node_field "$name" gateway)
  ip netns list | grep -qw "$ns" && return 0
  ip -n "$BR_NS" link del "e2e-v${idx}" 2>/dev/null || true   # left from a destroyed node
  ip netns add "$ns"
  ip link add "e2e-v${idx}" type veth peer name eth0 netns "$ns"
  ip link set "e2e-v${idx}" netns "$BR_NS"
  ip -n "$BR_NS" link set "e2e-v${idx}" master br0 up
  ip -n "$ns" link set lo up
  ip -n "$ns" addr add "${ip}/${prefix}" dev eth0
  ip -n "$ns" link set eth0 up
  ip -n "$ns" route add default via "$gw"
}

# kube-proxy's conntrack limit: the generated config keeps kube-proxy's defaults, so it wants
# nf_conntrack_max = max(32768 x CPUs, 131072) and writes it unless it already has that value;
# outside the host's network namespace that sysctl is read-only and kube-proxy exits ("permission
# denied"). The host value is set to exactly that (restored with the other sysctls at the end).
host_conntrack_for_kube_proxy() {
  local want=$(( 32768 * $(nproc) ))
  (( want < 131072 )) && want=131072
  sysctl -q -w "net.netfilter.nf_conntrack_max=${want}" >/dev/null
  log "host net.netfilter.nf_conntrack_max=${want} (what kube-proxy sets; read-only in the nodes)"
}

# pod_routes: in every namespace, each node's pod /24 via that node (idempotent).
pod_routes() {
  local ns n
  for ns in "$BR_NS" $(ip netns list | awk '{print $1}' | grep -E '^e2e-[0-9]+$'); do
    for n in $(node_names); do
      [[ "$ns" == "$(node_ns "$n")" ]] && continue
      ip -n "$ns" route replace "$(node_field "$n" podCidr)" via "$(node_field "$n" ip)" 2>/dev/null || true
    done
  done
}

# node_prepare NAME [USER_DATA]: a fresh disk (overlay on the node image) with its NoCloud seed
# (USER_DATA, default the synthesized one), resolver and the harness's CNI config.
node_prepare() {
  local name=$1 user_data=${2:-${RUN}/seeds/$1/user-data} d="${RUN}/nodes/$1" root dns
  root=$(node_root "$name")
  mkdir -p "${d}/upper" "${d}/work" "${d}/containerd" "$root"
  mount -t overlay "e2e-${name}" -o "lowerdir=${E2E_CACHE}/rootfs,upperdir=${d}/upper,workdir=${d}/work" "$root"
  install -d -m 0700 "${root}/var/lib/cloud/seed/nocloud"
  install -m 0600 "$user_data" "${root}/var/lib/cloud/seed/nocloud/user-data"
  install -m 0644 "${RUN}/seeds/${name}/meta-data" "${RUN}/seeds/${name}/network-config" "${root}/var/lib/cloud/seed/nocloud/"
  { for dns in $(node_field "$name" dns); do echo "nameserver ${dns}"; done
    echo "search $(node_field "$name" domain)"; echo "options timeout:1 attempts:1"; } >"${root}/etc/resolv.conf"
  install -d "${root}/etc/cni/net.d"
  cat >"${root}/etc/cni/net.d/10-e2e.conflist" <<CNI
{
  "cniVersion": "1.0.0",
  "name": "e2e",
  "plugins": [
    {"type": "bridge", "bridge": "cni0", "isGateway": true, "ipMasq": false, "hairpinMode": true,
     "ipam": {"type": "host-local", "ranges": [[{"subnet": "$(node_field "$name" podCidr)"}]], "routes": [{"dst": "0.0.0.0/0"}]}},
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
CNI
}

# shellcheck disable=SC2153 # ROOT is set by the sourcing script
# node_start NAME: boots the node in the background; console output in RUN/nodes/NAME/console.log.
node_start() {
  local name=$1 d="${RUN}/nodes/$1"
  node_net_up "$name"
  pod_routes
  setsid "${ROOT}/scripts/e2e/launch-node.sh" "$name" "$(node_root "$name")" "$(node_ns "$name")" "${d}/containerd" \
    >>"${d}/console.log" 2>&1 </dev/null &
  NODE_PID[$name]=$!
  echo "${NODE_PID[$name]}" >"${d}/pid"
}

node_running() { local p; p=$(cat "${RUN}/nodes/$1/pid" 2>/dev/null) && kill -0 "$p" 2>/dev/null; }

# node_stop NAME: a clean poweroff (nspawn turns SIGTERM into SIGRTMIN+3 for the node's systemd);
# a node with pods can hang in shutdown, so a second SIGTERM after 30 s, SIGKILL after 60 s.
node_stop() {
  local name=$1 pid i
  pid=$(cat "${RUN}/nodes/${name}/pid" 2>/dev/null) || return 0
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 600); do
      kill -0 "$pid" 2>/dev/null || break
      (( i == 300 )) && { warn "${name}: shutdown hangs; second SIGTERM"; kill -TERM "$pid" 2>/dev/null || true; }
      sleep 0.1
    done
    kill -0 "$pid" 2>/dev/null && { warn "${name}: killing"; kill -KILL "$pid" 2>/dev/null || true; }
  fi
  wait "$pid" 2>/dev/null || true
  rm -f "${RUN}/nodes/${name}/pid"
  node_cgroups_remove "$name"
}

# node_cgroups_remove NAME: kills whatever is left in the node's cgroups, removes them.
node_cgroups_remove() {
  local name=$1 base
  for base in /sys/fs/cgroup/*/pve-k8s-e2e/"$name"; do
    [[ -d "$base" ]] || continue
    find "$base" -name cgroup.procs -exec cat {} + 2>/dev/null | while read -r p; do kill -KILL "$p" 2>/dev/null || true; done
  done
  sleep 0.5
  for base in /sys/fs/cgroup/*/pve-k8s-e2e/"$name"; do
    [[ -d "$base" ]] && find "$base" -depth -type d -exec rmdir {} + 2>/dev/null
    [[ -d "$base" ]] && warn "cgroup ${base} not removed"
  done
  return 0
}

# node_destroy NAME: stops the node and deletes its disk and network namespace.
# node_kill NAME: the node dies at once, as a VM whose host loses power: every process of the
# container gets SIGKILL (its cgroup), no shutdown runs, and its network namespace goes with its
# addresses (the VIP Keepalived held there included; node_start makes a fresh one); its disk
# stays for a restart.
node_kill() {
  local name=$1 pid ns freezer=/sys/fs/cgroup/freezer/pve-k8s-e2e/$1/freezer.state
  pid=$(cat "${RUN}/nodes/${name}/pid" 2>/dev/null) || return 0
  # Every process of the node's cgroup tree at once: frozen (no fork escapes), killed, thawed.
  # (A cgroup's own cgroup.procs lists only the processes directly in it, not its children's.)
  [[ -f "$freezer" ]] && echo FROZEN >"$freezer"
  kill -KILL "$pid" 2>/dev/null || true
  find /sys/fs/cgroup/*/pve-k8s-e2e/"$name" /sys/fs/cgroup/pve-k8s-e2e/"$name" -name cgroup.procs -exec cat {} + 2>/dev/null \
    | sort -u | xargs -r kill -KILL 2>/dev/null || true
  [[ -f "$freezer" ]] && echo THAWED >"$freezer"
  wait "$pid" 2>/dev/null || true
  rm -f "${RUN}/nodes/${name}/pid"
  node_cgroups_remove "$name"
  ns=$(node_ns "$name"); ip netns list | grep -qw "$ns" && ip netns del "$ns"
  ip -n "$BR_NS" link del "e2e-v$(node_index "$name")" 2>/dev/null || true
}

node_destroy() {
  local name=$1 ns
  node_stop "$name"
  mountpoint -q "$(node_root "$name")" && umount -l "$(node_root "$name")"
  ns=$(node_ns "$name"); ip netns list | grep -qw "$ns" && ip netns del "$ns"
  ip -n "$BR_NS" link del "e2e-v$(node_index "$name")" 2>/dev/null || true
  rm -rf "${RUN}/nodes/${name}"
}

nodes_teardown() {
  local d n pids=()
  for d in "${RUN}"/nodes/*/; do
    [[ -d "$d" ]] || continue
    node_stop "$(basename "$d")" &
    pids+=($!)
  done
  (( ${#pids[@]} )) && wait "${pids[@]}"
  mkdir -p "${RUN}/logs"
  for d in "${RUN}"/nodes/*/; do
    [[ -d "$d" ]] || continue
    n=$(basename "$d")
    mountpoint -q "$(node_root "$n")" && { umount "$(node_root "$n")" || umount -l "$(node_root "$n")"; }
    # keep the logs of the run, drop the disks
    for f in var/log/pve-k8s-bootstrap.log var/log/cloud-init-output.log; do
      [[ -f "${d}upper/${f}" ]] && cp "${d}upper/${f}" "${RUN}/logs/${n}.$(basename "$f")"
    done
    cp "${d}console.log" "${RUN}/logs/${n}.console.log" 2>/dev/null || true
    rm -rf "$d"
  done
  for n in /sys/fs/cgroup/*/pve-k8s-e2e; do [[ -d "$n" ]] && rmdir "$n" 2>/dev/null; done
  return 0
}

# Host sysctls: the nodes share the host kernel, and the kubelet and the cloud-config's sysctl
# files change global ones (vm.overcommit_memory, kernel.panic, kernel.panic_on_oops,
# fs.inotify.*, ...). Every writable host sysctl is recorded before the first node boots and each
# one that changed is written back at the end (counters and per-boot values excluded).
SYSCTL_SKIP='^(kernel\.ns_last_pid|kernel\.random\.|fs\.(dentry|inode|file)-|fs\.quota\.|net\.netfilter\.nf_conntrack_count|kernel\.pty\.nr|fs\.aio-nr|dev\.)'
sysctl_snapshot() {
  sysctl -a 2>/dev/null | grep -Ev "$SYSCTL_SKIP" >"${E2E_CACHE}/sysctl-before.txt" || true
  on_exit sysctl_restore
}
sysctl_restore() {
  local key value now changed=()
  [[ -s "${E2E_CACHE}/sysctl-before.txt" ]] || return 0
  while IFS= read -r line; do
    key="${line%% = *}"; value="${line#* = }"
    now=$(sysctl -n "$key" 2>/dev/null | tr '\t' ' ') || continue
    [[ "$now" == "$(tr '\t' ' ' <<<"$value")" ]] && continue
    [[ -w "/proc/sys/${key//.//}" ]] || continue
    if sysctl -q -w "${key}=${value}" >/dev/null 2>&1; then changed+=("${key}: ${now} -> ${value}"); else warn "sysctl ${key} not restored (${now}, was ${value})"; fi
  done <"${E2E_CACHE}/sysctl-before.txt"
  (( ${#changed[@]} )) && log "host sysctls restored: $(IFS=';'; echo "${changed[*]}")"
  rm -f "${E2E_CACHE}/sysctl-before.txt"
}

# start_mirrors HTTP_PORT REGISTRY_PORT: the package mirrors (.cache/e2e/www over HTTP), the
# registry (.cache/e2e/registry) and an NTP server on the bridge address, inside the test network only.
start_mirrors() {
  local http_port=$1 registry_port=$2 gw i
  gw=$(ip -n "$BR_NS" -4 -o addr show dev br0 | awk '{print $4}' | cut -d/ -f1)
  # Started directly (not through a shell function), so $! is the server itself.
  ip netns exec "$BR_NS" python3 -m http.server --bind "$gw" --directory "${E2E_CACHE}/www" "$http_port" >"${RUN}/mirror.log" 2>&1 &
  on_exit "kill $! 2>/dev/null || true"
  OTEL_TRACES_EXPORTER=none REGISTRY_HTTP_ADDR="${gw}:${registry_port}" REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY="${E2E_CACHE}/registry" \
    ip netns exec "$BR_NS" "${TOOLS_BIN}/registry" serve "${ROOT}/scripts/e2e/registry.yml" >"${RUN}/registry.log" 2>&1 &
  on_exit "kill $! 2>/dev/null || true"
  for i in $(seq 50); do
    in_br curl -fs -o /dev/null "http://${gw}:${registry_port}/v2/" && in_br curl -fs -o /dev/null "http://${gw}:${http_port}/debian/dists/bookworm/InRelease" && break
    (( i == 50 )) && die "mirrors did not start: $(tail -n 5 "${RUN}/mirror.log" "${RUN}/registry.log")"
    sleep 0.2
  done
  # The time server the e2e spec names (network.ntp): chrony on the nodes synchronises at once.
  ip netns exec "$BR_NS" python3 "${ROOT}/scripts/e2e/ntp-server.py" "$gw" >"${RUN}/ntp.log" 2>&1 &
  on_exit "kill $! 2>/dev/null || true"
  log "mirrors: http://${gw}:${http_port}/ (packages), http://${gw}:${registry_port}/ (registry), ntp://${gw} (time)"
}
