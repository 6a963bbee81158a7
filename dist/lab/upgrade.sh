#!/usr/bin/env bash
# Upgrades cluster lab to Kubernetes 1.30.3. Generated from the cluster spec by
# upgrade/script.ts; do not edit. What it does, step by step: UPGRADE.md next to this file.
#
#   KUBECONFIG=<admin kubeconfig> bash upgrade.sh   # resumable: rerun after any interruption
#
# PVE_K8S_SSH_USER (default ubuntu), PVE_K8S_NODE_EXEC (a command run as `CMD NAME IP` that gives
# a root bash reading stdin on that node, instead of SSH), PVE_K8S_DRAIN_TIMEOUT, PVE_K8S_READY_TIMEOUT.
set -euo pipefail

readonly TARGET=1.30.3
readonly DRAIN_TIMEOUT="${PVE_K8S_DRAIN_TIMEOUT:-600s}"
readonly READY_TIMEOUT="${PVE_K8S_READY_TIMEOUT:-300s}"
readonly SSH_USER="${PVE_K8S_SSH_USER:-ubuntu}"
# name, IP, role (first: kubeadm upgrade apply; the others: kubeadm upgrade node), in upgrade order.
readonly NODES=(
  'lab-cp-1 10.20.0.11 first'
  'lab-cp-2 10.20.0.12 control-plane'
  'lab-cp-3 10.20.0.13 control-plane'
  'lab-worker-1 10.20.0.21 worker'
  'lab-worker-2 10.20.0.22 worker'
  'lab-worker-3 10.20.0.23 worker'
)

# Progress on stderr.
log() {
  printf '[upgrade %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2
}

# Stops with a message; rerunning resumes where it stopped.
die() {
  log "STOPPED: $*"
  log "fix the cause, then run this script again: nodes already upgraded are skipped"
  exit 1
}

# The part that runs as root on a node (upgrade/node-script.ts); not indented: a heredoc.
node_script() {
cat <<'NODE_SCRIPT'
# pve-k8s node upgrade to Kubernetes 1.30.3 (PHASE and ROLE are set on the line before).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
# Progress on stderr, prefixed with the node name.
log() {
  printf '%s [pve-k8s upgrade] %s\n' "$(hostname)" "$*" >&2
}

# retry ATTEMPTS DELAY COMMAND...: bounded retries.
retry() {
  local attempts=$1 delay=$2 n=1
  shift 2
  until "$@"; do
    (( n >= attempts )) && { log "giving up after $n attempts: $*"; return 1; }
    log "attempt $n/$attempts failed: $*; next in ${delay}s"
    sleep "$delay"; n=$((n + 1))
  done
}

# Point apt at the Kubernetes 1.30 repository (its key fetched or written anew).
kube_repo() {
  install -d -m 0755 /etc/apt/keyrings
  retry 5 10 curl -fsSL -o /tmp/kubernetes-release.key 'https://pkgs.k8s.io/core:/stable:/v1.30/deb/Release.key'
  gpg --batch --yes --dearmor -o /etc/apt/keyrings/kubernetes-apt-keyring.gpg.new /tmp/kubernetes-release.key
  mv /etc/apt/keyrings/kubernetes-apt-keyring.gpg.new /etc/apt/keyrings/kubernetes-apt-keyring.gpg
  rm -f /tmp/kubernetes-release.key
  printf '%s' 'deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/v1.30/deb/ /
' >/etc/apt/sources.list.d/kubernetes.list
  retry 5 10 apt-get update -o DPkg::Lock::Timeout=300
}

# pin PACKAGE=VERSION...: install exactly these versions and hold them.
pin() {
  retry 3 10 apt-get install -y --no-install-recommends --allow-downgrades --allow-change-held-packages -o DPkg::Lock::Timeout=300 -o Dpkg::Options::=--force-confold "$@"
  apt-mark hold "${@%%=*}" >/dev/null
}

patches=(); [[ -d /etc/pve-k8s/kubeadm-patches ]] && patches=(--patches /etc/pve-k8s/kubeadm-patches)
case "$PHASE" in
  kubeadm)
    kube_repo
    pin kubeadm=1.30.3-1.1
    if [[ $ROLE == first ]]; then
      log "kubeadm upgrade apply v1.30.3"
      retry 3 20 kubeadm upgrade apply --yes "${patches[@]}" v1.30.3
    else
      log "kubeadm upgrade node"
      retry 3 20 kubeadm upgrade node "${patches[@]}"
    fi
    ;;
  kubelet)
    pin kubelet=1.30.3-1.1 kubectl=1.30.3-1.1 cri-tools=1.30.1-1.1
    systemctl daemon-reload
    systemctl restart kubelet
    log "kubelet 1.30.3 restarted"
    ;;
  *) log "unknown PHASE ${PHASE:-unset}"; exit 2 ;;
esac
NODE_SCRIPT
}

# on_node NAME IP PHASE ROLE: runs one phase of the node script as root on the node.
on_node() {
  local name=$1 ip=$2
  { printf 'PHASE=%q ROLE=%q\n' "$3" "$4"; node_script; } | if [[ -n ${PVE_K8S_NODE_EXEC:-} ]]; then
    "$PVE_K8S_NODE_EXEC" "$name" "$ip"
  else
    ssh -o BatchMode=yes -o ConnectTimeout=10 "${SSH_USER}@${ip}" sudo bash -s
  fi
}

# node_field NAME JSONPATH: one field of the Node object.
node_field() {
  kubectl get node "$1" -o "jsonpath=$2"
}

# apiserver_version NAME: the image tag of the control plane's kube-apiserver static pod.
apiserver_version() {
  local image
  image="$(kubectl -n kube-system get pod "kube-apiserver-$1" -o 'jsonpath={.spec.containers[0].image}' 2>/dev/null || true)"
  printf '%s' "${image##*:}"
}

# node_done NAME ROLE: true when the node runs the target version and is schedulable.
node_done() {
  [[ "$(node_field "$1" '{.status.nodeInfo.kubeletVersion}')" == "v${TARGET}" ]] || return 1
  [[ "$(node_field "$1" '{.spec.unschedulable}')" != true ]] || return 1
  [[ $2 == worker || "$(apiserver_version "$1")" == "v${TARGET}" ]]
}

# Refuses to start unless the cluster can take this upgrade.
preflight() {
  local running line name ready
  running="$(kubectl -n kube-system get configmap kubeadm-config -o 'jsonpath={.data.ClusterConfiguration}' | sed -n 's/^kubernetesVersion: *v//p')"
  [[ $running =~ ^([0-9]+)\.([0-9]+)\.([0-9]+)$ ]] || die "cannot read the running version from kubeadm-config (got '${running}')"
  if (( BASH_REMATCH[1] != 1 || BASH_REMATCH[2] > 30 || BASH_REMATCH[2] < 29 )); then
    die "the cluster runs ${running}: kubeadm upgrades one minor at a time, never down (target ${TARGET})"
  fi
  if (( BASH_REMATCH[2] == 30 )) && [[ "$(printf '%s\n' "$running" "$TARGET" | sort -V | head -n 1)" != "$running" ]]; then
    die "the cluster runs ${running}, newer than ${TARGET}: downgrades are not supported"
  fi
  for line in "${NODES[@]}"; do
    name=${line%% *}
    ready="$(node_field "$name" '{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" || die "node ${name} is not in the cluster"
    [[ $ready == True ]] || die "node ${name} is not Ready: every node must be Ready before an upgrade"
  done
  log "cluster runs ${running}; upgrading to ${TARGET}: ${#NODES[@]} nodes, one at a time"
}

# wait_ready NAME: Ready and reporting the target version, bounded by READY_TIMEOUT.
wait_ready() {
  local deadline=$((SECONDS + ${READY_TIMEOUT%s}))
  until [[ "$(node_field "$1" '{.status.nodeInfo.kubeletVersion}')" == "v${TARGET}" ]] \
    && kubectl wait --for=condition=Ready "node/$1" --timeout=10s >/dev/null 2>&1; do
    (( SECONDS < deadline )) || die "$1 not Ready at v${TARGET} after ${READY_TIMEOUT}"
    sleep 5
  done
}

# upgrade_node NAME IP ROLE: the whole upgrade of one node.
upgrade_node() {
  local name=$1 ip=$2 role=$3 t0=$SECONDS
  if node_done "$name" "$role"; then
    log "${name}: already at ${TARGET}, skipped"
    return 0
  fi
  log "${name}: kubeadm (${role})"
  on_node "$name" "$ip" kubeadm "$role" || die "${name}: the kubeadm phase failed (output above)"
  log "${name}: drain (PodDisruptionBudgets respected, at most ${DRAIN_TIMEOUT})"
  kubectl drain "$name" --ignore-daemonsets --delete-emptydir-data --timeout="$DRAIN_TIMEOUT" \
    || die "${name}: drain did not finish (a PodDisruptionBudget that allows no disruption?); the node stays cordoned"
  on_node "$name" "$ip" kubelet "$role" || die "${name}: the kubelet phase failed (output above)"
  kubectl uncordon "$name" >/dev/null
  wait_ready "$name"
  log "${name}: at ${TARGET} and Ready ($((SECONDS - t0))s)"
}

preflight
T0=$SECONDS
for line in "${NODES[@]}"; do
  read -r name ip role <<<"$line"
  upgrade_node "$name" "$ip" "$role"
done
log "cluster upgraded to ${TARGET} in $((SECONDS - T0))s; the add-ons follow their own pins through GitOps (dist/)"
kubectl get nodes -o wide
