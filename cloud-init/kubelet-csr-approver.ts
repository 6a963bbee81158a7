/**
 * Kubelet serving certificates signed by the cluster CA (serverTLSBootstrap) need someone to
 * approve each kubelet's serving CSR: kube-controller-manager approves kubelet client CSRs only.
 * Every control plane runs this approver from a systemd timer every few seconds, from the moment it
 * has joined (the API server verifies kubelets with --kubelet-certificate-authority, so `kubectl
 * exec`/`logs` to a node work only once its CSR is approved). It approves a CSR only when all of
 * these hold, and leaves everything else pending, logging each refused kubelet-serving CSR once:
 * - signerName kubernetes.io/kubelet-serving, no Approved/Denied/Failed condition yet;
 * - requested by user system:node:<name> in group system:nodes, and a Node <name> exists;
 * - the request's subject is exactly O=system:nodes, CN=system:node:<name>, its signature verifies;
 * - usages within digital signature, key encipherment, server auth (server auth present);
 * - every SAN is a DNS name or IP address (at least one), DNS names are that Node's Hostname /
 *   InternalDNS / ExternalDNS addresses, IPs its InternalIP / ExternalIP addresses, and no other
 *   Node reports any of them.
 * kubectl (admin kubeconfig) and openssl only. Pure renderers.
 */
import { NODE_PATHS } from './paths';

export const KUBELET_CSR_APPROVER = {
  /** Seconds between two runs on each control plane (the timer's OnUnitActiveSec). */
  intervalSeconds: 10,
  signerName: 'kubernetes.io/kubelet-serving',
  /** systemd unit names (without suffix). */
  unit: 'pve-k8s-kubelet-csr-approver',
  /** Refused CSRs already logged (one log line per CSR, not one per run); PVE_K8S_CSR_STATE overrides. */
  stateDir: '/run/pve-k8s-kubelet-csr-approver',
} as const;

export function renderKubeletCsrApproverScript(): string {
  const a = KUBELET_CSR_APPROVER;
  return `#!/bin/bash
# pve-k8s: approves kubelet serving CSRs (signer ${a.signerName}) whose requester, subject and
# SANs match one Node exactly; everything else stays pending (logged once). Run every
# ${a.intervalSeconds}s by ${a.unit}.timer on each control plane; safe to run by hand.
set -euo pipefail
readonly SIGNER=${a.signerName}
readonly STATE="\${PVE_K8S_CSR_STATE:-${a.stateDir}}"
kubectl_() { kubectl --kubeconfig "\${PVE_K8S_KUBECONFIG:-${NODE_PATHS.adminKubeconfig}}" "$@"; }

log() {
  printf '%s [pve-k8s kubelet-csr] %s\\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2
}

# refuse CSR REASON: leave the CSR pending; log it once.
refuse() {
  [[ -e "\${STATE}/$1" ]] && return 0
  log "$1 left pending: $2"
  touch "\${STATE}/$1"
}

# Every Node address as "NODE TYPE ADDRESS" lines.
node_addresses() {
  kubectl_ get nodes -o jsonpath='{range .items[*]}{.metadata.name}{"|"}{range .status.addresses[*]}{.type}{"="}{.address}{" "}{end}{"\\n"}{end}' \\
    | while IFS='|' read -r node list; do
        for pair in $list; do printf '%s %s %s\\n' "$node" "\${pair%%=*}" "\${pair#*=}"; done
      done
}

# check USER GROUPS USAGES REQUEST: prints ok when the CSR may be approved, else the reason (a check
# that aborts prints no ok: fail closed).
check() {
  local user=$1 groups=$2 usages=$3 request=$4 node csr subject sans san kind value owner u
  [[ $user =~ ^system:node:([a-z0-9.-]+)$ ]] || { echo "requested by $user, not a node"; return; }
  node=\${BASH_REMATCH[1]}
  [[ " $groups " == *" system:nodes "* ]] || { echo "$user is not in group system:nodes"; return; }
  [[ -n "$(awk -v n="$node" '$1 == n' <<<"$ADDRESSES")" ]] || { echo "no Node $node"; return; }
  u=$(tr -d '[]"' <<<"$usages")
  [[ ",$u," == *",server auth,"* ]] || { echo "usages $usages lack server auth"; return; }
  while IFS= read -r value; do
    case $value in
      'digital signature' | 'key encipherment' | 'server auth') ;;
      *) echo "usage $value is not for a kubelet serving certificate"; return ;;
    esac
  done < <(tr ',' '\\n' <<<"$u")
  csr=$(base64 -d <<<"$request" 2>/dev/null) || { echo "request is not base64"; return; }
  openssl req -noout -verify <<<"$csr" >/dev/null 2>&1 || { echo "request does not parse or its signature does not verify"; return; }
  subject=$(openssl req -noout -subject -nameopt RFC2253 <<<"$csr")
  [[ $subject == "subject=CN=system:node:$node,O=system:nodes" ]] || { echo "subject \${subject#subject=}, not CN=system:node:$node,O=system:nodes"; return; }
  sans=$(openssl req -noout -text <<<"$csr" | awk '/X509v3 Subject Alternative Name:/ { getline; print }' | tr ',' '\\n' | sed 's/^ *//')
  [[ -n $sans ]] || { echo "no subject alternative name"; return; }
  while IFS= read -r san; do
    kind=\${san%%:*} value=\${san#*:}
    case $kind in
      DNS) owner=$(awk -v v="$value" '($2 == "Hostname" || $2 == "InternalDNS" || $2 == "ExternalDNS") && $3 == v { print $1 }' <<<"$ADDRESSES" | sort -u) ;;
      'IP Address') owner=$(awk -v v="$value" '($2 == "InternalIP" || $2 == "ExternalIP") && $3 == v { print $1 }' <<<"$ADDRESSES" | sort -u) ;;
      *) echo "SAN $san is neither a DNS name nor an IP address"; return ;;
    esac
    [[ $owner == "$node" ]] || { echo "SAN $san is not an address of Node $node alone (reported by: \${owner:-no Node})"; return; }
    # Another Node reporting the same value under any address type claims it too.
    [[ -z "$(awk -v v="$value" -v n="$node" '$3 == v && $1 != n' <<<"$ADDRESSES")" ]] || { echo "SAN $san is also an address of another Node"; return; }
  done <<<"$sans"
  echo ok
}

install -d -m 0700 "$STATE"
ADDRESSES=$(node_addresses)
CSRS=$(kubectl_ get csr -o jsonpath='{range .items[*]}{.metadata.name}{"|"}{.spec.signerName}{"|"}{.spec.username}{"|"}{.spec.groups[*]}{"|"}{.status.conditions[*].type}{"|"}{.spec.usages}{"|"}{.spec.request}{"\\n"}{end}')
while IFS='|' read -r name signer user groups conditions usages request; do
  [[ -n $name && $signer == "$SIGNER" && -z $conditions ]] || continue
  reason=$(check "$user" "$groups" "$usages" "$request") || true
  if [[ $reason != ok ]]; then
    refuse "$name" "\${reason:-the check failed}"
  elif kubectl_ certificate approve "$name" >/dev/null; then
    log "$name approved: serving certificate of \${user#system:node:}"
  else
    log "$name: approval failed (another control plane may have approved it first)"
  fi
done <<<"$CSRS"
exit 0
`;
}

export function renderKubeletCsrApproverService(): string {
  return `[Unit]
Description=pve-k8s: approve kubelet serving certificate requests that match their Node
After=kubelet.service
ConditionPathExists=${NODE_PATHS.adminKubeconfig}

[Service]
Type=oneshot
ExecStart=${NODE_PATHS.kubeletCsrApproverScript}
`;
}

export function renderKubeletCsrApproverTimer(): string {
  const a = KUBELET_CSR_APPROVER;
  return `[Unit]
Description=pve-k8s: kubelet serving CSR approval every ${a.intervalSeconds}s

[Timer]
OnActiveSec=1s
OnUnitActiveSec=${a.intervalSeconds}s
AccuracySec=1s

[Install]
WantedBy=timers.target
`;
}
