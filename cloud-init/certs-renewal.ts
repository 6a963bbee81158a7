/**
 * Automatic renewal of kubeadm's certificates on each control plane. kubeadm issues them for one
 * year and renews them at every `kubeadm upgrade`; a cluster that is not upgraded for a year would
 * lock itself out. A weekly systemd timer runs a script that renews them when the first expires
 * within CERT_RENEWAL.renewBeforeDays days (`kubeadm certs renew all`), then restarts this node's
 * static pods one by one, each back and healthy before the next. Control planes run on different
 * weekdays (by index), so two never restart at once. Pure renderers.
 */
import type { ClusterModel, NodeModel } from '../spec';
import { CERT_RENEWAL, CONTROL_PLANE_METRICS_PORTS } from '../facts';
import { NODE_PATHS } from './paths';

export { CERT_RENEWAL };

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

/** The weekday control plane `node` renews on: one per index, never two control planes together (up to 7). */
export function certRenewalWeekday(node: NodeModel): string {
  return WEEKDAYS[(node.index - 1) % WEEKDAYS.length]!;
}

export function renderCertRenewalScript(model: ClusterModel, node: NodeModel): string {
  const c = CERT_RENEWAL;
  const ports = CONTROL_PLANE_METRICS_PORTS;
  const hold = '/etc/kubernetes/manifests-renewal';
  return `#!/bin/bash
# pve-k8s: renews this control plane's kubeadm certificates when the first of them expires within
# ${c.renewBeforeDays} days, then restarts its static pods one at a time. Run weekly by
# ${NODE_PATHS.certRenewalTimer}; safe to run by hand (PVE_K8S_RENEW_BEFORE_DAYS=400 forces a renewal).
set -euo pipefail
readonly RENEW_BEFORE_DAYS="\${PVE_K8S_RENEW_BEFORE_DAYS:-${c.renewBeforeDays}}"
readonly MANIFESTS=/etc/kubernetes/manifests HOLD=${hold}

log() {
  printf '%s [pve-k8s certs] %s\\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2
}

# days_left: whole days until the first kubeadm-managed certificate expires.
days_left() {
  kubeadm certs check-expiration -o json | python3 -c 'import json, sys
certs = [c for c in json.load(sys.stdin)["certificates"] if not c.get("externallyManaged") and not c.get("missing")]
print(min(c["residualTime"] for c in certs) // 86400)'
}

# healthy NAME: the static pod answers its health endpoint on this node.
healthy() {
  case $1 in
    etcd) curl --silent --fail --max-time 3 --cacert /etc/kubernetes/pki/etcd/ca.crt \\
      --cert /etc/kubernetes/pki/etcd/healthcheck-client.crt --key /etc/kubernetes/pki/etcd/healthcheck-client.key \\
      https://127.0.0.1:2379/health | grep -q '"health":"true"' ;;
    kube-apiserver) [[ "$(curl --silent --insecure --max-time 3 https://${node.ip}:${model.network.apiServerPort}/readyz)" == ok ]] ;;
    kube-controller-manager) [[ "$(curl --silent --insecure --max-time 3 https://127.0.0.1:${ports.controllerManager}/healthz)" == ok ]] ;;
    kube-scheduler) [[ "$(curl --silent --insecure --max-time 3 https://127.0.0.1:${ports.scheduler}/healthz)" == ok ]] ;;
  esac
}

# restart NAME: the kubelet stops a static pod whose manifest leaves the folder and starts it again
# (with the renewed certificates) when it comes back.
restart() {
  local name=$1 i
  mv "\${MANIFESTS}/\${name}.yaml" "\${HOLD}/"
  for ((i = 0; i < ${c.stopSeconds / 2}; i++)); do
    [[ -z "$(crictl ps --quiet --name "^\${name}\\$")" ]] && break
    sleep 2
  done
  mv "\${HOLD}/\${name}.yaml" "\${MANIFESTS}/"
  for ((i = 0; i < ${c.startSeconds / 2}; i++)); do
    healthy "$name" && { log "\${name} restarted and healthy"; return 0; }
    sleep 2
  done
  log "\${name} not healthy ${c.startSeconds}s after its restart"
  return 1
}

left=$(days_left)
if (( left > RENEW_BEFORE_DAYS )); then
  log "the first certificate expires in \${left} days; renewal is due at \${RENEW_BEFORE_DAYS}: nothing to do"
  exit 0
fi
log "the first certificate expires in \${left} days: kubeadm certs renew all"
kubeadm certs renew all
install -d -m 0700 "$HOLD"
for name in ${c.staticPods.join(' ')}; do
  restart "$name"
done
log "certificates renewed; the first now expires in $(days_left) days"
`;
}

export function renderCertRenewalService(): string {
  return `[Unit]
Description=pve-k8s: renew kubeadm certificates before they expire
After=kubelet.service

[Service]
Type=oneshot
ExecStart=${NODE_PATHS.certRenewalScript}
`;
}

export function renderCertRenewalTimer(node: NodeModel): string {
  return `[Unit]
Description=pve-k8s: weekly kubeadm certificate check (this control plane on ${certRenewalWeekday(node)})

[Timer]
OnCalendar=${certRenewalWeekday(node)} *-*-* ${CERT_RENEWAL.time}

[Install]
WantedBy=timers.target
`;
}
