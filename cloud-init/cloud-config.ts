/** Assembles a node's #cloud-config: identity, packages, files and the bootstrap run. */
import { toYaml } from '../format/yaml';
import type { ClusterModel, NodeModel } from '../spec';
import { fillSecrets, SECRET_MARKERS } from './secrets';
import { renderArgoCdBootstrapValues, renderCiliumValues, renderGitopsRoot } from './addons';
import { type ManifestFacts, renderAdmissionConfig, renderAuditPolicy, renderEncryptionConfig } from './apiserver-files';
import { renderCertRenewalScript, renderCertRenewalService, renderCertRenewalTimer } from './certs-renewal';
import { renderContainerdConfig, renderCrictlConfig, renderRegistryMirrors } from './containerd';
import { renderKubeletCsrApproverScript, renderKubeletCsrApproverService, renderKubeletCsrApproverTimer } from './kubelet-csr-approver';
import { isFirstControlPlane, renderKubeadmConfig, renderKubeadmInitConfig, renderKubeadmPatches } from './kubeadm';
import { renderHaproxyConfig, renderKeepalivedCheckScript, renderKeepalivedConfig, runsLoadBalancer } from './load-balancer';
import {
  basePackages, renderAutoUpgrades, renderContainerdAptPreferences, renderKubernetesAptSource, renderModulesLoad, renderOsAptSources, renderSysctl,
  renderUnattendedUpgrades, runsKubernetes,
} from './os';
import { NODE_PATHS } from './paths';
import { renderBootstrapScript } from './scripts/bootstrap';
import type { BootstrapSecrets } from './secrets';

/** One cloud-init write_files entry. */
export interface NodeFile {
  readonly path: string;
  readonly content: string;
  /** @default '0644' */
  readonly permissions?: string;
  /**
   * Write after packages are installed (files a package also ships, e.g. haproxy.cfg).
   * @default false
   */
  readonly defer?: boolean;
}

/** Every file the node gets, in a stable order. */
export function nodeFiles(model: ClusterModel, node: NodeModel, secrets: BootstrapSecrets, manifests: ManifestFacts): NodeFile[] {
  const p = NODE_PATHS;
  const files: NodeFile[] = [
    { path: p.bootstrapScript, content: renderBootstrapScript(model, node), permissions: '0755' },
    { path: '/etc/sysctl.d/90-pve-k8s.conf', content: renderSysctl(model, node) },
    { path: '/etc/apt/apt.conf.d/20auto-upgrades', content: renderAutoUpgrades() },
    { path: '/etc/apt/apt.conf.d/52pve-k8s-unattended-upgrades', content: renderUnattendedUpgrades(model) },
  ];
  const sources = model.sources;
  // Keys from the spec: written in cloud-init's first stage, before its apt module and package installs.
  if (sources.osPackages?.signingKey) files.push({ path: p.osMirrorKey, content: sources.osPackages.signingKey });
  if (runsKubernetes(node)) {
    files.push(
      { path: '/etc/modules-load.d/pve-k8s.conf', content: renderModulesLoad() },
      // Before the packages module installs containerd (init stage; packages run in the final stage).
      { path: p.containerdAptPreferences, content: renderContainerdAptPreferences(model) },
      ...(sources.kubernetesSigningKey ? [{ path: p.kubernetesAptSpecKey, content: sources.kubernetesSigningKey }] : []),
      { path: p.kubernetesAptSource, content: renderKubernetesAptSource(model) },
      { path: p.containerdConfig, content: renderContainerdConfig(model), defer: true },
      { path: p.crictlConfig, content: renderCrictlConfig() },
      ...renderRegistryMirrors(model).map((m) => ({ path: `/etc/containerd/certs.d/${m.registry}/hosts.toml`, content: m.content })),
      { path: p.kubeadmConfig, content: renderKubeadmConfig(model, node, secrets), permissions: '0600' },
    );
    if (isFirstControlPlane(model, node)) {
      files.push({ path: p.kubeadmInitConfig, content: renderKubeadmInitConfig(model, node, secrets), permissions: '0600' });
    }
  }
  if (node.role === 'control-plane') {
    for (const [name, content] of Object.entries(renderKubeadmPatches(model, node))) {
      files.push({ path: `${p.kubeadmPatches}/${name}`, content, permissions: '0600' });
    }
    files.push(
      { path: p.auditPolicy, content: renderAuditPolicy(), permissions: '0600' },
      { path: p.encryptionConfig, content: renderEncryptionConfig(secrets), permissions: '0600' },
      { path: p.certRenewalScript, content: renderCertRenewalScript(model, node), permissions: '0755' },
      { path: p.certRenewalService, content: renderCertRenewalService() },
      { path: p.certRenewalTimer, content: renderCertRenewalTimer(node) },
      { path: p.kubeletCsrApproverScript, content: renderKubeletCsrApproverScript(), permissions: '0755' },
      { path: p.kubeletCsrApproverService, content: renderKubeletCsrApproverService() },
      { path: p.kubeletCsrApproverTimer, content: renderKubeletCsrApproverTimer() },
      { path: p.admissionConfig, content: renderAdmissionConfig(model, manifests), permissions: '0600' },
    );
  }
  if (isFirstControlPlane(model, node)) {
    if (model.cni === 'cilium') files.push({ path: p.ciliumValues, content: renderCiliumValues(model), permissions: '0600' });
    const root = renderGitopsRoot(model);
    if (root) files.push({ path: p.gitopsRoot, content: root, permissions: '0600' });
    const argocdValues = model.gitops.bootstrap === 'argocd' ? renderArgoCdBootstrapValues(model) : undefined;
    if (argocdValues) files.push({ path: p.argocdValues, content: argocdValues, permissions: '0600' });
  }
  if (runsLoadBalancer(model, node)) {
    files.push(
      { path: p.haproxyConfig, content: renderHaproxyConfig(model, node), defer: true },
      { path: p.keepalivedCheck, content: renderKeepalivedCheckScript(model, node), permissions: '0755', defer: true },
      { path: p.keepalivedConfig, content: renderKeepalivedConfig(model, node, secrets), permissions: '0600', defer: true },
    );
  }
  return files;
}

/** The cloud-config document (before serialisation). */
export function cloudConfigDocument(model: ClusterModel, node: NodeModel, secrets: BootstrapSecrets, manifests: ManifestFacts): Record<string, unknown> {
  const ssh = model.ssh;
  const osSources = renderOsAptSources(model);
  return {
    hostname: node.name,
    fqdn: `${node.name}.${model.domain}`,
    prefer_fqdn_over_hostname: false,
    manage_etc_hosts: true,
    timezone: 'Etc/UTC',
    users: [
      {
        name: ssh.user,
        groups: ['sudo'],
        shell: '/bin/bash',
        sudo: 'ALL=(ALL) NOPASSWD:ALL',
        lock_passwd: true,
        ssh_authorized_keys: [...ssh.authorizedKeys],
      },
    ],
    ssh_pwauth: false,
    disable_root: true,
    ntp: { enabled: true, ntp_client: 'chrony', ...(model.network.ntp.length > 0 ? { servers: [...model.network.ntp] } : {}) },
    // OS package mirror (spec sources.osPackages): replaces the image's sources before any install.
    ...(osSources ? { apt: { preserve_sources_list: false, sources_list: osSources } } : {}),
    package_update: true,
    package_upgrade: false,
    packages: basePackages(model, node),
    write_files: nodeFiles(model, node, secrets, manifests).map((f) => ({
      path: f.path,
      owner: 'root:root',
      permissions: f.permissions ?? '0644',
      ...(f.defer ? { defer: true } : {}),
      content: f.content,
    })),
    runcmd: [['bash', NODE_PATHS.bootstrapScript]],
  };
}

/**
 * The node's `#cloud-config` with SECRET_MARKERS where the secrets go. Rendered once per node
 * (models are immutable), then filled with real values, Terraform references or placeholders.
 */
export function renderNodeTemplate(model: ClusterModel, node: NodeModel, manifests: ManifestFacts): string {
  const cached = templates.get(node);
  if (cached !== undefined && cached.manifests === manifests) return cached.template;
  const doc = cloudConfigDocument(model, node, SECRET_MARKERS, manifests);
  // No spec file name here: the same spec under another name must render the same user data.
  const template = `#cloud-config\n# ${node.name} (${node.role}) of cluster ${model.name}; generated by pve-k8s.\n${toYaml(doc)}`;
  templates.set(node, { manifests, template });
  return template;
}
const templates = new WeakMap<NodeModel, { readonly manifests: ManifestFacts; readonly template: string }>();

/** The node's full `#cloud-config` user-data. */
export function renderNodeCloudConfig(model: ClusterModel, node: NodeModel, secrets: BootstrapSecrets, manifests: ManifestFacts): string {
  return fillSecrets(renderNodeTemplate(model, node, manifests), secrets);
}
