/**
 * Operating-system files every node gets: kernel modules, sysctls, security updates, apt sources
 * (OS mirror, Kubernetes repository). What differs between Ubuntu 24.04 and Debian 12 is decided
 * here from model.os; package names are the same on both.
 */
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

/** Distribution packages a node needs (Kubernetes packages come later, pinned); same names on Ubuntu and Debian. */
export function basePackages(model: ClusterModel, node: NodeModel): string[] {
  const pkgs = ['ca-certificates', 'curl', 'gpg', 'chrony', 'qemu-guest-agent', 'unattended-upgrades'];
  if (runsKubernetes(node)) pkgs.push('containerd', 'conntrack', 'socat', 'ethtool');
  // The kubelet serving CSR approver parses requests with openssl (kubelet-csr-approver.ts).
  if (node.role === 'control-plane') pkgs.push('openssl');
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

/**
 * /etc/apt/preferences.d/pve-k8s-containerd.pref: containerd stays in the node OS's series
 * (spec/versions.ts NODE_OS containerdSeries). Written in cloud-init's init stage (write_files),
 * before its final stage installs the packages; apt and unattended-upgrades both follow it: the
 * series' versions win (1001), every other version is never a candidate (-1), so an archive
 * without the series fails the install instead of bringing another one.
 */
export function renderContainerdAptPreferences(model: ClusterModel): string {
  const series = model.os.containerdSeries;
  return [
    `# Managed by pve-k8s cloud-init: containerd ${series}.x, the series of ${osName(model)} ${model.os.codename}, and no other.`,
    'Package: containerd',
    `Pin: version ${series}.*`,
    'Pin-Priority: 1001',
    '',
    'Package: containerd',
    'Pin: version *',
    'Pin-Priority: -1',
    '',
  ].join('\n');
}

/** /etc/apt/apt.conf.d/20auto-upgrades: daily package lists and unattended (security) upgrades. */
export function renderAutoUpgrades(): string {
  return ['APT::Periodic::Update-Package-Lists "1";', 'APT::Periodic::Unattended-Upgrade "1";', ''].join('\n');
}

/**
 * Packages unattended-upgrades must never touch (they are also held with apt-mark). containerd is
 * not among them: its security updates apply, inside the series its apt preferences pin.
 */
export const HELD_PACKAGES = ['kubeadm', 'kubelet', 'kubectl', 'cri-tools', 'kubernetes-cni'] as const;

/**
 * Debian's 50unattended-upgrades also takes point-release updates (label=Debian); Ubuntu's takes
 * only the security pocket. On Debian the list is replaced by the two Debian-Security patterns,
 * so both systems apply security updates only.
 */
export const DEBIAN_SECURITY_ORIGINS = [
  'origin=Debian,codename=${distro_codename},label=Debian-Security',
  'origin=Debian,codename=${distro_codename}-security,label=Debian-Security',
] as const;

/**
 * /etc/apt/apt.conf.d/52pve-k8s-unattended-upgrades: security updates only, the Kubernetes
 * blacklist, and no reboots (a control plane must not restart on its own).
 */
export function renderUnattendedUpgrades(model: ClusterModel): string {
  const origins =
    model.os.family === 'debian'
      ? ['#clear Unattended-Upgrade::Origins-Pattern;', 'Unattended-Upgrade::Origins-Pattern {', ...DEBIAN_SECURITY_ORIGINS.map((o) => `    "${o}";`), '};']
      : [];
  return [
    '// Managed by pve-k8s cloud-init: security updates on, Kubernetes packages never upgraded here.',
    ...origins,
    'Unattended-Upgrade::Package-Blacklist {',
    ...HELD_PACKAGES.map((p) => `    "${p}";`),
    '};',
    'Unattended-Upgrade::Automatic-Reboot "false";',
    '',
  ].join('\n');
}

/** The Kubernetes apt repository of the cluster's minor (pkgs.k8s.io or the spec's mirror). */
export function kubernetesAptRepo(model: ClusterModel): string {
  return model.sources.kubernetesRepository;
}

/** Exact apt version of kubeadm/kubelet/kubectl, e.g. 1.30.3-1.1. */
export function kubernetesPackageVersion(model: ClusterModel): string {
  return `${model.kubernetes.version}-${KUBERNETES_APT.debRevision}`;
}

/** Exact apt version of cri-tools (crictl) for the minor, e.g. 1.30.1-1.1. */
export function criToolsPackageVersion(model: ClusterModel): string {
  return `${model.kubernetes.minor.crictl.replace(/^v/, '')}-${KUBERNETES_APT.debRevision}`;
}

/** Keyring apt checks the Kubernetes repository with: downloaded and dearmored (pkgs.k8s.io) or the spec's armored key. */
export function kubernetesAptKeyring(model: ClusterModel): string {
  return model.sources.kubernetesSigningKey ? NODE_PATHS.kubernetesAptSpecKey : NODE_PATHS.kubernetesAptKeyring;
}

/** The apt source line installed once the repository key is in place. */
export function renderKubernetesAptSource(model: ClusterModel): string {
  return `deb [signed-by=${kubernetesAptKeyring(model)}] ${kubernetesAptRepo(model)} /\n`;
}

/**
 * The distribution's sources for cloud-init's apt module (apt.sources_list) when the spec names an
 * OS package mirror; undefined keeps the image's sources. Ubuntu 24.04's cloud-init (>= 23.4)
 * writes deb822 content to /etc/apt/sources.list.d/ubuntu.sources; Debian 12's (22.4) writes
 * one-line entries to /etc/apt/sources.list. Suites: <codename>, -updates and -security.
 */
export function renderOsAptSources(model: ClusterModel): string | undefined {
  const mirror = model.sources.osPackages;
  if (!mirror) return undefined;
  const { codename, components } = model.os;
  const signedBy = mirror.signingKey ? NODE_PATHS.osMirrorKey : undefined;
  const header = '# Managed by pve-k8s cloud-init (spec sources.osPackages).';
  if (model.os.family === 'ubuntu') {
    const stanza = (uri: string, suites: string) => [
      'Types: deb',
      `URIs: ${uri}`,
      `Suites: ${suites}`,
      `Components: ${components.join(' ')}`,
      `Signed-By: ${signedBy ?? '/usr/share/keyrings/ubuntu-archive-keyring.gpg'}`,
    ];
    return [header, ...stanza(mirror.url, `${codename} ${codename}-updates`), '', ...stanza(mirror.securityUrl, `${codename}-security`), ''].join('\n');
  }
  const options = signedBy ? ` [signed-by=${signedBy}]` : '';
  return [
    header,
    `deb${options} ${mirror.url} ${codename} ${components.join(' ')}`,
    `deb${options} ${mirror.url} ${codename}-updates ${components.join(' ')}`,
    `deb${options} ${mirror.securityUrl} ${codename}-security ${components.join(' ')}`,
    '',
  ].join('\n');
}

/** Human name of the node OS in logs and comments. */
export function osName(model: ClusterModel): string {
  return model.os.family === 'debian' ? 'Debian' : 'Ubuntu';
}
