/** Bootstrap steps for Kubernetes nodes: packages, runtime, load balancer, kubeadm. */
import type { ClusterModel, NodeModel } from '../../spec';
import { isFirstControlPlane } from '../kubeadm';
import { runsLoadBalancer } from '../load-balancer';
import { criToolsPackageVersion, HELD_PACKAGES, kubernetesAptRepo, kubernetesPackageVersion } from '../os';
import { NODE_PATHS } from '../paths';
import { type Step, step } from './os-steps';
import { fn, sq } from './shell';

/** How long joining nodes wait for the API behind the VIP: 35 tries, 5s doubling to 60s (~32 min). */
export const API_WAIT = { attempts: 35, firstDelaySeconds: 5 } as const;

/** Seconds between control-plane joins (etcd adds one member at a time). */
export const CONTROL_PLANE_JOIN_STAGGER_SECONDS = 60;

function kubePackagesOrigin(model: ClusterModel): string {
  const minor = model.kubernetes.minor.minor;
  return model.sources.kubernetesSigningKey ? `${kubernetesAptRepo(model)} (spec mirror)` : `pkgs.k8s.io v${minor}`;
}

/**
 * The repository key: the spec's armored key (written by cloud-init) is only checked to be one
 * OpenPGP public key; without one, pkgs.k8s.io's Release.key is downloaded and dearmored once.
 */
function kubernetesKeyLines(model: ClusterModel): string[] {
  if (model.sources.kubernetesSigningKey) {
    const key = NODE_PATHS.kubernetesAptSpecKey;
    return [`[[ "$(gpg --batch --show-keys --with-colons ${key} | grep -c '^pub:')" == 1 ]] || { log "${key} is not one OpenPGP public key"; exit 1; }`];
  }
  const keyring = NODE_PATHS.kubernetesAptKeyring;
  return [
    'install -d -m 0755 /etc/apt/keyrings',
    `if [[ ! -s ${keyring} ]]; then`,
    `  retry 5 10 curl -fsSL -o /tmp/kubernetes-release.key ${sq(`${kubernetesAptRepo(model)}Release.key`)}`,
    `  gpg --batch --yes --dearmor -o ${keyring} /tmp/kubernetes-release.key`,
    '  rm -f /tmp/kubernetes-release.key',
    'fi',
  ];
}

export function kubePackagesStep(model: ClusterModel): Step {
  const v = kubernetesPackageVersion(model);
  const pins = ['kubelet', 'kubeadm', 'kubectl'].map((p) => `${p}=${v}`).concat(`cri-tools=${criToolsPackageVersion(model)}`);
  return step('kube-packages', `${kubePackagesOrigin(model)}: kubeadm, kubelet, kubectl ${v}, held.`, [
    ...kubernetesKeyLines(model),
    `install -m 0644 ${NODE_PATHS.kubernetesAptSource} /etc/apt/sources.list.d/kubernetes.list`,
    'retry 5 10 apt-get update -o DPkg::Lock::Timeout=300',
    `apt_install --allow-downgrades --allow-change-held-packages ${pins.join(' ')}`,
    `apt-mark hold ${HELD_PACKAGES.slice(0, 4).join(' ')}`,
    'systemctl enable kubelet',
  ]);
}

export function containerdStep(): Step {
  return step('containerd', 'containerd with our config (SystemdCgroup, pause image).', [
    'install -d -m 0755 /etc/containerd/certs.d',
    'systemctl enable containerd',
    'systemctl restart containerd',
    'retry 10 2 crictl info >/dev/null',
  ]);
}

export function loadBalancerStep(): Step {
  return step('load-balancer', 'HAProxy + Keepalived for the API VIP (configs written by cloud-init).', [
    `haproxy -c -f ${NODE_PATHS.haproxyConfig}`,
    'systemctl enable haproxy keepalived',
    'systemctl restart haproxy',
    'systemctl restart keepalived',
  ]);
}

export function waitForApiStep(model: ClusterModel): Step {
  const url = `https://${model.network.controlPlaneEndpoint}/healthz`;
  return step('wait-api', `Wait (bounded, with backoff) for the API behind the VIP: ${url}`, [
    `retry ${API_WAIT.attempts} ${API_WAIT.firstDelaySeconds} curl --silent --fail --insecure --max-time 5 --output /dev/null ${sq(url)}`,
  ]);
}

export function kubeadmInitStep(): Step {
  const cfg = NODE_PATHS.kubeadmConfig;
  return step('kubeadm-init', 'First control plane: kubeadm init, certificates uploaded for the others.', [
    `if [[ -f ${NODE_PATHS.adminKubeconfig} ]]; then`,
    `  log "kubeadm init already ran (${NODE_PATHS.adminKubeconfig} exists); to redo it: kubeadm reset -f"`,
    '  return 0',
    'fi',
    `retry 5 10 kubeadm config images pull --config ${cfg}`,
    `kubeadm init --upload-certs --config ${cfg}`,
  ]);
}

export function kubeadmJoinStep(node: NodeModel): Step {
  const cfg = NODE_PATHS.kubeadmConfig;
  const stagger = node.role === 'control-plane' ? Math.max(0, node.index - 2) * CONTROL_PLANE_JOIN_STAGGER_SECONDS : 0;
  const kind = node.role === 'control-plane' ? 'control plane' : 'worker';
  return step('kubeadm-join', `Join as a ${kind}; a failed attempt is reset before the next one.`, [
    `if [[ -f ${NODE_PATHS.kubeletKubeconfig} ]]; then`,
    `  log "already joined (${NODE_PATHS.kubeletKubeconfig} exists)"`,
    '  return 0',
    'fi',
    ...(stagger > 0 ? [`log "waiting ${stagger}s so control planes join one at a time"`, `sleep ${stagger}`] : []),
    'retry 3 30 kubeadm_join_once',
  ], [
    fn('kubeadm_join_once', 'One join attempt; a failed attempt is reset so the next starts clean.', [
      `if kubeadm join --config ${cfg}; then`,
      '  return 0',
      'fi',
      'log "kubeadm join failed; resetting before the next attempt"',
      'kubeadm reset -f',
      'return 1',
    ]),
  ]);
}

export function kubectlAccessStep(): Step {
  return step('kubectl-access', 'root can use kubectl on control planes.', [
    'install -d -m 0700 /root/.kube',
    `ln -sf ${NODE_PATHS.adminKubeconfig} /root/.kube/config`,
  ]);
}

export function kubeSteps(model: ClusterModel, node: NodeModel): Step[] {
  const steps = [kubePackagesStep(model), containerdStep()];
  if (runsLoadBalancer(model, node)) steps.push(loadBalancerStep());
  if (isFirstControlPlane(model, node)) return [...steps, kubeadmInitStep(), kubectlAccessStep()];
  steps.push(waitForApiStep(model), kubeadmJoinStep(node));
  if (node.role === 'control-plane') steps.push(kubectlAccessStep());
  return steps;
}
