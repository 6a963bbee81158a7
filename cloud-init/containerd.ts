/** Container runtime: containerd (Ubuntu's package) and crictl. */
import type { ClusterModel } from '../spec';
import { CRI_SOCKET } from './paths';

/**
 * /etc/containerd/config.toml (config version 2, containerd 1.7 on Ubuntu 24.04). Only what we
 * change; containerd merges it over its defaults. Registry mirrors go in /etc/containerd/certs.d.
 */
export function renderContainerdConfig(model: ClusterModel): string {
  const cri = 'plugins."io.containerd.grpc.v1.cri"';
  return [
    '# Managed by pve-k8s cloud-init.',
    'version = 2',
    '',
    `[${cri}]`,
    `  sandbox_image = "${model.kubernetes.minor.pauseImage}"`,
    '',
    `[${cri}.containerd]`,
    '  default_runtime_name = "runc"',
    '',
    `[${cri}.containerd.runtimes.runc]`,
    '  runtime_type = "io.containerd.runc.v2"',
    '',
    `[${cri}.containerd.runtimes.runc.options]`,
    '  SystemdCgroup = true',
    '',
    `[${cri}.registry]`,
    '  config_path = "/etc/containerd/certs.d"',
    '',
  ].join('\n');
}

/** /etc/crictl.yaml */
export function renderCrictlConfig(): string {
  return [`runtime-endpoint: ${CRI_SOCKET}`, `image-endpoint: ${CRI_SOCKET}`, 'timeout: 10', 'debug: false', ''].join('\n');
}

/** Upstream of a registry host in containerd's hosts.toml (docker.io's API lives elsewhere). */
function upstream(registry: string): string {
  return registry === 'docker.io' ? 'https://registry-1.docker.io' : `https://${registry}`;
}

/**
 * /etc/containerd/certs.d/<registry>/hosts.toml for each spec mirror: pull and resolve through
 * the mirror, fall back to the registry itself (containerd tries hosts in order).
 */
export function renderRegistryMirrors(model: ClusterModel): { registry: string; content: string }[] {
  return model.containerd.registryMirrors.map((mirror) => ({
    registry: mirror.registry,
    content: [
      '# Managed by pve-k8s cloud-init: pulls try the mirror first, then the registry itself.',
      `server = "${upstream(mirror.registry)}"`,
      '',
      `[host."${mirror.endpoint}"]`,
      '  capabilities = ["pull", "resolve"]',
      ...(mirror.overridePath ? ['  override_path = true'] : []),
      '',
    ].join('\n'),
  }));
}
