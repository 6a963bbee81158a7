/**
 * dist/<name>/upgrade.sh: upgrades a running cluster to the spec's Kubernetes version with one
 * command, from the operator's machine (kubectl with the admin kubeconfig, SSH to the nodes):
 *
 *   bash dist/<name>/upgrade.sh
 *
 * Preflight (every node Ready, the running version one minor or less behind, never ahead), then
 * node by node in the plan's order: kubeadm phase on the node, drain, kubelet phase, uncordon,
 * Ready at the new version. A node already at the target is skipped, so after an interruption
 * the same command resumes. PVE_K8S_NODE_EXEC replaces SSH (called as `CMD NAME IP`, the node
 * script on stdin). Pure: model in, bash out.
 */
import { fn, sq } from '../format/shell';
import type { ClusterModel } from '../spec';
import { renderNodeUpgradeScript } from './node-script';
import { UPGRADE_TIMEOUTS, upgradePlan } from './plan';

export function renderUpgradeScript(model: ClusterModel): string {
  const plan = upgradePlan(model);
  const [major, minor] = plan.version.split('.').map(Number) as [number, number];
  const t = UPGRADE_TIMEOUTS;
  return [
    '#!/usr/bin/env bash',
    `# Upgrades cluster ${model.name} to Kubernetes ${plan.version}. Generated from the cluster spec by`,
    '# upgrade/script.ts; do not edit. What it does, step by step: UPGRADE.md next to this file.',
    '#',
    '#   KUBECONFIG=<admin kubeconfig> bash upgrade.sh   # resumable: rerun after any interruption',
    '#',
    `# PVE_K8S_SSH_USER (default ${plan.sshUser}), PVE_K8S_NODE_EXEC (a command run as \`CMD NAME IP\` that gives`,
    '# a root bash reading stdin on that node, instead of SSH), PVE_K8S_DRAIN_TIMEOUT, PVE_K8S_READY_TIMEOUT.',
    'set -euo pipefail',
    '',
    `readonly TARGET=${plan.version}`,
    `readonly DRAIN_TIMEOUT="\${PVE_K8S_DRAIN_TIMEOUT:-${t.drain}}"`,
    `readonly READY_TIMEOUT="\${PVE_K8S_READY_TIMEOUT:-${t.ready}}"`,
    `readonly SSH_USER="\${PVE_K8S_SSH_USER:-${plan.sshUser}}"`,
    '# name, IP, role (first: kubeadm upgrade apply; the others: kubeadm upgrade node), in upgrade order.',
    'readonly NODES=(',
    ...plan.nodes.map((n) => `  ${sq(`${n.name} ${n.ip} ${n.role}`)}`),
    ')',
    '',
    fn('log', 'Progress on stderr.', [`printf '[upgrade %s] %s\\n' "$(date -u +%H:%M:%S)" "$*" >&2`]),
    fn('die', 'Stops with a message; rerunning resumes where it stopped.', ['log "STOPPED: $*"', 'log "fix the cause, then run this script again: nodes already upgraded are skipped"', 'exit 1']),
    '# The part that runs as root on a node (upgrade/node-script.ts); not indented: a heredoc.',
    'node_script() {',
    "cat <<'NODE_SCRIPT'",
    renderNodeUpgradeScript(model).trimEnd(),
    'NODE_SCRIPT',
    '}',
    '',
    fn('on_node', 'on_node NAME IP PHASE ROLE: runs one phase of the node script as root on the node.', [
      'local name=$1 ip=$2',
      '{ printf \'PHASE=%q ROLE=%q\\n\' "$3" "$4"; node_script; } | if [[ -n ${PVE_K8S_NODE_EXEC:-} ]]; then',
      '  "$PVE_K8S_NODE_EXEC" "$name" "$ip"',
      'else',
      '  ssh -o BatchMode=yes -o ConnectTimeout=10 "${SSH_USER}@${ip}" sudo bash -s',
      'fi',
    ]),
    fn('node_field', 'node_field NAME JSONPATH: one field of the Node object.', ['kubectl get node "$1" -o "jsonpath=$2"']),
    fn('apiserver_version', 'apiserver_version NAME: the image tag of the control plane\'s kube-apiserver static pod.', [
      'local image',
      'image="$(kubectl -n kube-system get pod "kube-apiserver-$1" -o \'jsonpath={.spec.containers[0].image}\' 2>/dev/null || true)"',
      'printf \'%s\' "${image##*:}"',
    ]),
    fn('node_done', 'node_done NAME ROLE: true when the node runs the target version and is schedulable.', [
      '[[ "$(node_field "$1" \'{.status.nodeInfo.kubeletVersion}\')" == "v${TARGET}" ]] || return 1',
      '[[ "$(node_field "$1" \'{.spec.unschedulable}\')" != true ]] || return 1',
      '[[ $2 == worker || "$(apiserver_version "$1")" == "v${TARGET}" ]]',
    ]),
    fn('preflight', 'Refuses to start unless the cluster can take this upgrade.', [
      'local running line name ready',
      "running=\"$(kubectl -n kube-system get configmap kubeadm-config -o 'jsonpath={.data.ClusterConfiguration}' | sed -n 's/^kubernetesVersion: *v//p')\"",
      '[[ $running =~ ^([0-9]+)\\.([0-9]+)\\.([0-9]+)$ ]] || die "cannot read the running version from kubeadm-config (got \'${running}\')"',
      `if (( BASH_REMATCH[1] != ${major} || BASH_REMATCH[2] > ${minor} || BASH_REMATCH[2] < ${minor - 1} )); then`,
      `  die "the cluster runs \${running}: kubeadm upgrades one minor at a time, never down (target \${TARGET})"`,
      'fi',
      `if (( BASH_REMATCH[2] == ${minor} )) && [[ "$(printf '%s\\n' "$running" "$TARGET" | sort -V | head -n 1)" != "$running" ]]; then`,
      '  die "the cluster runs ${running}, newer than ${TARGET}: downgrades are not supported"',
      'fi',
      'for line in "${NODES[@]}"; do',
      '  name=${line%% *}',
      "  ready=\"$(node_field \"$name\" '{.status.conditions[?(@.type==\"Ready\")].status}' 2>/dev/null)\" || die \"node ${name} is not in the cluster\"",
      '  [[ $ready == True ]] || die "node ${name} is not Ready: every node must be Ready before an upgrade"',
      'done',
      'log "cluster runs ${running}; upgrading to ${TARGET}: ${#NODES[@]} nodes, one at a time"',
    ]),
    fn('wait_ready', 'wait_ready NAME: Ready and reporting the target version, bounded by READY_TIMEOUT.', [
      'local deadline=$((SECONDS + ${READY_TIMEOUT%s}))',
      'until [[ "$(node_field "$1" \'{.status.nodeInfo.kubeletVersion}\')" == "v${TARGET}" ]] \\',
      '  && kubectl wait --for=condition=Ready "node/$1" --timeout=10s >/dev/null 2>&1; do',
      '  (( SECONDS < deadline )) || die "$1 not Ready at v${TARGET} after ${READY_TIMEOUT}"',
      '  sleep 5',
      'done',
    ]),
    fn('upgrade_node', 'upgrade_node NAME IP ROLE: the whole upgrade of one node.', [
      'local name=$1 ip=$2 role=$3 t0=$SECONDS',
      'if node_done "$name" "$role"; then',
      '  log "${name}: already at ${TARGET}, skipped"',
      '  return 0',
      'fi',
      'log "${name}: kubeadm (${role})"',
      'on_node "$name" "$ip" kubeadm "$role" || die "${name}: the kubeadm phase failed (output above)"',
      'log "${name}: drain (PodDisruptionBudgets respected, at most ${DRAIN_TIMEOUT})"',
      'kubectl drain "$name" --ignore-daemonsets --delete-emptydir-data --timeout="$DRAIN_TIMEOUT" \\',
      '  || die "${name}: drain did not finish (a PodDisruptionBudget that allows no disruption?); the node stays cordoned"',
      'on_node "$name" "$ip" kubelet "$role" || die "${name}: the kubelet phase failed (output above)"',
      'kubectl uncordon "$name" >/dev/null',
      'wait_ready "$name"',
      'log "${name}: at ${TARGET} and Ready ($((SECONDS - t0))s)"',
    ]),
    'preflight',
    'T0=$SECONDS',
    'for line in "${NODES[@]}"; do',
    '  read -r name ip role <<<"$line"',
    '  upgrade_node "$name" "$ip" "$role"',
    'done',
    'log "cluster upgraded to ${TARGET} in $((SECONDS - T0))s; the add-ons follow their own pins through GitOps (dist/)"',
    'kubectl get nodes -o wide',
    '',
  ].join('\n');
}
