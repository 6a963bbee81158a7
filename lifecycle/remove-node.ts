/**
 * dist/<name>/remove-node.sh: takes one node out of a running cluster with one command, from the
 * operator's machine (kubectl with the admin kubeconfig, SSH to the node), before its VM is deleted:
 *
 *   bash dist/<name>/remove-node.sh <node>
 *
 * Cordon and drain (PodDisruptionBudgets respected, bounded), then on the node: Keepalived and
 * HAProxy stopped (the VIP moves at once instead of after a timeout), `kubeadm reset` (a control
 * plane leaves etcd itself), kubelet stopped; then the etcd member removed from a peer when it is
 * still listed (a dead node), and the Node deleted. The node's role and address come from the
 * cluster, so it works before or after the spec's count was lowered; rerunning resumes. A node
 * that cannot be reached is removed from the cluster side only. Pure: model in, bash out.
 */
import { fn } from '../format/shell';
import { ETCD_CLIENT } from '../manifests/addons/etcd-backup';
import type { ClusterModel } from '../spec';
import { UPGRADE_TIMEOUTS } from '../upgrade/plan';

/** etcdctl inside the etcd static pod, with the client certificate the backup Job and OPERATIONS.md use. */
const ETCDCTL = `etcdctl --endpoints=${ETCD_CLIENT.endpoint} --cacert=${ETCD_CLIENT.cacert} --cert=${ETCD_CLIENT.cert} --key=${ETCD_CLIENT.key}`;

/** What runs as root on the node being removed (stdin of SSH or PVE_K8S_NODE_EXEC). */
export function renderRemoveNodePart(): string {
  return [
    'set -uo pipefail',
    'for unit in keepalived haproxy; do',
    '  if systemctl is-active --quiet "$unit"; then systemctl disable --now "$unit" && echo "stopped ${unit}"; fi',
    'done',
    'if command -v kubeadm >/dev/null && [[ -e /etc/kubernetes/kubelet.conf ]]; then',
    '  kubeadm reset --force 2>&1 | grep -v -i -E "token|certificate-key" || true',
    'fi',
    'systemctl disable --now kubelet >/dev/null 2>&1 || true',
    'echo "node reset"',
  ].join('\n');
}

export function renderRemoveNodeScript(model: ClusterModel): string {
  return [
    '#!/usr/bin/env bash',
    `# Takes one node out of cluster ${model.name} before its VM is deleted. Generated from the cluster spec`,
    '# by lifecycle/remove-node.ts; do not edit. OPERATIONS.md ("Removing a node") says when to run it.',
    '#',
    '#   KUBECONFIG=<admin kubeconfig> bash remove-node.sh NODE   # resumable: rerun after any interruption',
    '#',
    `# PVE_K8S_SSH_USER (default ${model.ssh.user}), PVE_K8S_NODE_EXEC (a command run as \`CMD NAME IP\` that gives`,
    '# a root bash reading stdin on that node, instead of SSH), PVE_K8S_DRAIN_TIMEOUT.',
    'set -euo pipefail',
    '',
    `readonly DRAIN_TIMEOUT="\${PVE_K8S_DRAIN_TIMEOUT:-${UPGRADE_TIMEOUTS.drain}}"`,
    `readonly SSH_USER="\${PVE_K8S_SSH_USER:-${model.ssh.user}}"`,
    '(( $# == 1 )) || { echo "usage: remove-node.sh NODE" >&2; exit 2; }',
    'readonly NODE=$1',
    '',
    fn('log', 'Progress on stderr.', [`printf '[remove %s] %s\\n' "$(date -u +%H:%M:%S)" "$*" >&2`]),
    fn('die', 'Stops with a message; rerunning resumes.', ['log "STOPPED: $*"', 'exit 1']),
    '# The part that runs as root on the node; not indented: a heredoc.',
    'node_part() {',
    "cat <<'NODE_PART'",
    renderRemoveNodePart(),
    'NODE_PART',
    '}',
    '',
    fn('on_node', 'on_node NAME IP: runs the node part as root on the node.', [
      'if [[ -n ${PVE_K8S_NODE_EXEC:-} ]]; then',
      '  node_part | "$PVE_K8S_NODE_EXEC" "$1" "$2"',
      'else',
      '  node_part | ssh -o BatchMode=yes -o ConnectTimeout=10 "${SSH_USER}@$2" sudo bash -s',
      'fi',
    ]),
    fn('ready_control_planes', 'The Ready control-plane Nodes, one name per line.', [
      "kubectl get nodes -l node-role.kubernetes.io/control-plane -o 'jsonpath={range .items[*]}{.metadata.name}{\" \"}{.status.conditions[?(@.type==\"Ready\")].status}{\"\\n\"}{end}' | awk '$2 == \"True\" { print $1 }'",
    ]),
    fn('etcdctl', 'etcdctl PEER ARGS...: etcdctl in the etcd static pod of control plane PEER.', [
      `kubectl -n kube-system exec "etcd-$1" -- ${ETCDCTL} "\${@:2}"`,
    ]),
    fn('member_of', 'member_of PEER NAME: "ID CLIENT_URL" of etcd member NAME as PEER lists it, or nothing.', [
      'etcdctl "$1" member list -w simple | awk -F\', \' -v n="$2" \'$3 == n { print $1, $5 }\'',
    ]),
    '# ---- preflight: what is this node, and may it go? ----',
    'role=worker ip=',
    'if kubectl get node "$NODE" >/dev/null 2>&1; then',
    '  ip=$(kubectl get node "$NODE" -o \'jsonpath={.status.addresses[?(@.type=="InternalIP")].address}\')',
    '  [[ "$(kubectl get node "$NODE" -o \'jsonpath={.metadata.labels}\')" == *\'"node-role.kubernetes.io/control-plane"\'* ]] && role=control-plane',
    'fi',
    'peer=',
    'while read -r cp; do [[ -n $cp && $cp != "$NODE" ]] && { peer=$cp; break; }; done < <(ready_control_planes)',
    'member=',
    '[[ -z $peer ]] || member=$(member_of "$peer" "$NODE")',
    'if [[ -z $ip ]]; then',
    '  # No Node object: removed before, or never joined. A control plane may still be an etcd member.',
    '  [[ -n $peer ]] || die "node ${NODE} is not in the cluster and no other control plane is Ready"',
    '  [[ -n $member ]] || { log "${NODE} is neither a Node nor an etcd member: nothing to do"; exit 0; }',
    '  role=control-plane',
    'fi',
    'if [[ $role == control-plane ]]; then',
    '  [[ -n $peer ]] || die "no other control plane is Ready: removing ${NODE} would end the cluster"',
    '  members=$(etcdctl "$peer" member list -w simple | grep -c . || true)',
    '  left=$members others=$(etcdctl "$peer" endpoint health --cluster 2>&1 | grep -c \' is healthy\' || true)',
    '  if [[ -n $member ]]; then   # this node is a member: it does not count, and it leaves',
    '    left=$((members - 1))',
    '    others=$(etcdctl "$peer" endpoint health --cluster 2>&1 | grep \' is healthy\' | grep -v -c -F "${member#* } " || true)',
    '  fi',
    '  (( others >= left / 2 + 1 )) \\',
    '    || die "etcd: ${others} healthy members besides ${NODE}, ${left} left after it: etcd would lose quorum (replace a failed member first)"',
    '  (( left % 2 == 1 )) || log "note: etcd goes from ${members} to ${left} members, an even count; keep control planes odd"',
    'fi',
    'log "${NODE} (${role}${ip:+, ${ip}}): drain, reset, etcd member, Node object"',
    '',
    '# ---- drain, reset the node ----',
    'if [[ -n $ip ]]; then',
    '  log "${NODE}: drain (PodDisruptionBudgets respected, at most ${DRAIN_TIMEOUT})"',
    '  kubectl drain "$NODE" --ignore-daemonsets --delete-emptydir-data --timeout="$DRAIN_TIMEOUT" >/dev/null \\',
    '    || die "${NODE}: drain did not finish (a PodDisruptionBudget that allows no disruption?); the node stays cordoned"',
    '  if on_node "$NODE" "$ip" >&2; then log "${NODE}: kubeadm reset done, kubelet stopped"',
    '  else log "${NODE}: cannot reach it to reset it; removing it from the cluster side only"; fi',
    'fi',
    '',
    '# ---- etcd member (a reset control plane left by itself; a dead one did not) ----',
    'if [[ $role == control-plane ]]; then',
    '  member=$(member_of "$peer" "$NODE")',
    '  if [[ -n $member ]]; then',
    '    log "${NODE}: removing etcd member ${member%% *} (through ${peer})"',
    '    etcdctl "$peer" member remove "${member%% *}" >/dev/null',
    '  fi',
    '  [[ -z "$(member_of "$peer" "$NODE")" ]] || die "${NODE} is still an etcd member"',
    '  log "etcd members now: $(etcdctl "$peer" member list -w simple | awk -F\', \' \'{ printf "%s ", $3 }\')"',
    'fi',
    '',
    'kubectl delete node "$NODE" --ignore-not-found >/dev/null',
    'log "${NODE} removed from the cluster. Next: lower its pool\'s count in the spec, npm run synth, and deploy"',
    'log "(Terraform deletes the VM); or keep the spec and rebuild the node from a new disk (OPERATIONS.md)."',
    '',
  ].join('\n');
}
