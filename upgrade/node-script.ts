/**
 * What runs as root on one node during an upgrade, read from stdin by `bash -s` (over SSH or the
 * transport the operator names), after a line setting PHASE and ROLE:
 *   PHASE=kubeadm: point apt at the target minor's repository, install the pinned kubeadm, then
 *                  `kubeadm upgrade apply` (ROLE=first) or `kubeadm upgrade node`;
 *   PHASE=kubelet: install the pinned kubelet, kubectl and cri-tools, restart the kubelet.
 * Every part is safe to run again (a resumed upgrade repeats the interrupted node). Pure.
 */
import { kubernetesAptRepo, renderKubernetesAptSource } from '../cloud-init/os';
import { NODE_PATHS } from '../cloud-init/paths';
import { kubernetesKeyLines } from '../cloud-init/scripts/kube-steps';
import { fn, sq } from '../format/shell';
import type { ClusterModel } from '../spec';
import { upgradePlan } from './plan';

/** The apt source the nodes use (cloud-init installs the same file on day 1). */
const APT_SOURCE = '/etc/apt/sources.list.d/kubernetes.list';

export function renderNodeUpgradeScript(model: ClusterModel): string {
  const plan = upgradePlan(model);
  const key = model.sources.kubernetesSigningKey;
  const apt = '-o DPkg::Lock::Timeout=300';
  return [
    `# pve-k8s node upgrade to Kubernetes ${plan.version} (PHASE and ROLE are set on the line before).`,
    'set -euo pipefail',
    'export DEBIAN_FRONTEND=noninteractive',
    fn('log', 'Progress on stderr, prefixed with the node name.', [`printf '%s [pve-k8s upgrade] %s\\n' "$(hostname)" "$*" >&2`]),
    fn('retry', 'retry ATTEMPTS DELAY COMMAND...: bounded retries.', [
      'local attempts=$1 delay=$2 n=1',
      'shift 2',
      'until "$@"; do',
      '  (( n >= attempts )) && { log "giving up after $n attempts: $*"; return 1; }',
      '  log "attempt $n/$attempts failed: $*; next in ${delay}s"',
      '  sleep "$delay"; n=$((n + 1))',
      'done',
    ]),
    fn('kube_repo', `Point apt at the Kubernetes ${plan.minor} repository (its key fetched or written anew).`, [
      'install -d -m 0755 /etc/apt/keyrings',
      ...(key
        ? [`printf '%s' ${sq(key)} >${NODE_PATHS.kubernetesAptSpecKey}`, ...kubernetesKeyLines(model)]
        : [
            // The target minor's key, fetched before the old keyring is replaced.
            `retry 5 10 curl -fsSL -o /tmp/kubernetes-release.key ${sq(`${kubernetesAptRepo(model)}Release.key`)}`,
            `gpg --batch --yes --dearmor -o ${NODE_PATHS.kubernetesAptKeyring}.new /tmp/kubernetes-release.key`,
            `mv ${NODE_PATHS.kubernetesAptKeyring}.new ${NODE_PATHS.kubernetesAptKeyring}`,
            'rm -f /tmp/kubernetes-release.key',
          ]),
      `printf '%s' ${sq(renderKubernetesAptSource(model))} >${APT_SOURCE}`,
      `retry 5 10 apt-get update ${apt}`,
    ]),
    fn('pin', 'pin PACKAGE=VERSION...: install exactly these versions and hold them.', [
      `retry 3 10 apt-get install -y --no-install-recommends --allow-downgrades --allow-change-held-packages ${apt} -o Dpkg::Options::=--force-confold "$@"`,
      'apt-mark hold "${@%%=*}" >/dev/null',
    ]),
    // A control plane's kubeadm patches (its API server on the node IP beside HAProxy's VIP:port,
    // etcd's metrics address) are applied on every upgrade too, or the new static pods lose them.
    `patches=(); [[ -d ${NODE_PATHS.kubeadmPatches} ]] && patches=(--patches ${NODE_PATHS.kubeadmPatches})`,
    'case "$PHASE" in',
    '  kubeadm)',
    '    kube_repo',
    `    pin kubeadm=${plan.packages.kube}`,
    '    if [[ $ROLE == first ]]; then',
    `      log "kubeadm upgrade apply v${plan.version}"`,
    // Bounded retries: its preflight Job has 15 s to complete, tight on a busy control plane; a
    // repeated apply at the same version is safe.
    `      retry 3 20 kubeadm upgrade apply --yes "\${patches[@]}" v${plan.version}`,
    '    else',
    '      log "kubeadm upgrade node"',
    '      retry 3 20 kubeadm upgrade node "${patches[@]}"',
    '    fi',
    '    ;;',
    '  kubelet)',
    `    pin kubelet=${plan.packages.kube} kubectl=${plan.packages.kube} cri-tools=${plan.packages.criTools}`,
    '    systemctl daemon-reload',
    '    systemctl restart kubelet',
    `    log "kubelet ${plan.version} restarted"`,
    '    ;;',
    '  *) log "unknown PHASE ${PHASE:-unset}"; exit 2 ;;',
    'esac',
    '',
  ].join('\n');
}
