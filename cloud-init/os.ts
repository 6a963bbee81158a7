/** Operating-system files every node gets: kernel modules, sysctls, security updates. */
import type { ClusterModel, NodeModel } from '../spec';
import { KUBERNETES_APT } from '../spec';
import { runsLoadBalancer } from './load-balancer';
import { NODE_PATHS } from './paths';

/** True for nodes that run Kubernetes (control planes and workers). */
export function runsKubernetes(node: NodeModel): boolean {
  return node.role !== 'load-balancer';
}

/** Kernel modules containerd and Kubernetes networking need. */
export const KUBERNETES_MODULES = ['overlay', 'br_netfilter'] as const;

/** Ubuntu packages a node needs (from Ubuntu's archive; Kubernetes packages come later, pinned). */
export function basePackages(model: ClusterModel, node: NodeModel): string[] {
  const pkgs = ['ca-certificates', 'curl', 'gpg', 'chrony', 'qemu-guest-agent', 'unattended-upgrades'];
  if (runsKubernetes(node)) pkgs.push('containerd', 'conntrack', 'socat', 'ethtool');
  if (runsLoadBalancer(model, node)) pkgs.push('haproxy', 'keepalived');
  return pkgs;
}

/** /etc/modules-load.d/pve-k8s.conf */
export function renderModulesLoad(): string {
  return ['# Managed by pve-k8s cloud-init: containerd overlayfs and bridged pod traffic.', ...KUBERNETES_MODULES, ''].join('\n');
}

/** /etc/sysctl.d/90-pve-k8s.conf */
export function renderSysctl(model: ClusterModel, node: NodeModel): string {
  const lines = ['# Managed by pve-k8s cloud-init.'];
  if (runsKubernetes(node)) {
    lines.push(
      'net.bridge.bridge-nf-call-iptables = 1',
      'net.bridge.bridge-nf-call-ip6tables = 1',
      'net.ipv4.ip_forward = 1',
      'fs.inotify.max_user_instances = 8192',
      'fs.inotify.max_user_watches = 524288',
    );
  }
  if (runsLoadBalancer(model, node)) {
    lines.push('# HAProxy binds the API VIP even on nodes that do not hold it (Keepalived moves it).', 'net.ipv4.ip_nonlocal_bind = 1');
  }
  return [...lines, ''].join('\n');
}

/** /etc/apt/apt.conf.d/20auto-upgrades: daily package lists and unattended (security) upgrades. */
export function renderAutoUpgrades(): string {
  return ['APT::Periodic::Update-Package-Lists "1";', 'APT::Periodic::Unattended-Upgrade "1";', ''].join('\n');
}

/** Packages unattended-upgrades must never touch (they are also held with apt-mark). */
export const HELD_PACKAGES = ['kubeadm', 'kubelet', 'kubectl', 'cri-tools', 'kubernetes-cni'] as const;

/**
 * /etc/apt/apt.conf.d/52pve-k8s-unattended-upgrades. Ubuntu's 50unattended-upgrades already
 * allows only the security pockets; this adds the Kubernetes blacklist and forbids reboots
 * (a control plane must not restart on its own).
 */
export function renderUnattendedUpgrades(): string {
  return [
    '// Managed by pve-k8s cloud-init: security updates on, Kubernetes packages never upgraded here.',
    'Unattended-Upgrade::Package-Blacklist {',
    ...HELD_PACKAGES.map((p) => `    "${p}";`),
    '};',
    'Unattended-Upgrade::Automatic-Reboot "false";',
    '',
  ].join('\n');
}

/** pkgs.k8s.io repository of the cluster's minor. */
export function kubernetesAptRepo(model: ClusterModel): string {
  return `${KUBERNETES_APT.baseUrl}/v${model.kubernetes.minor.minor}/deb/`;
}

/** Exact apt version of kubeadm/kubelet/kubectl, e.g. 1.30.3-1.1. */
export function kubernetesPackageVersion(model: ClusterModel): string {
  return `${model.kubernetes.version}-${KUBERNETES_APT.debRevision}`;
}

/** Exact apt version of cri-tools (crictl) for the minor, e.g. 1.30.1-1.1. */
export function criToolsPackageVersion(model: ClusterModel): string {
  return `${model.kubernetes.minor.crictl.replace(/^v/, '')}-${KUBERNETES_APT.debRevision}`;
}

/** The apt source line installed once the repository key is in place. */
export function renderKubernetesAptSource(model: ClusterModel): string {
  return `deb [signed-by=${NODE_PATHS.kubernetesAptKeyring}] ${kubernetesAptRepo(model)} /\n`;
}
