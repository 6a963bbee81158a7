import { readFileSync } from 'node:fs';
import { DEFAULT_KUBERNETES_VERSION, kubernetesMinor } from '../spec';

/**
 * Versions live in spec/versions.ts; the shell scripts that build verify's tools read
 * tools/versions.json. These rules keep the two from drifting apart.
 */
const tools = JSON.parse(readFileSync('tools/versions.json', 'utf8')) as Record<string, string>;

describe('tool versions agree with spec/versions.ts', () => {
  test('verify builds the Kubernetes binaries of the default cluster version', () => {
    expect(tools.kubernetes).toBe(DEFAULT_KUBERNETES_VERSION);
  });

  test('verify builds the etcd that the default Kubernetes minor runs', () => {
    const image = kubernetesMinor(DEFAULT_KUBERNETES_VERSION)!.etcdImage;
    expect(image).toBe(`registry.k8s.io/etcd:${tools.etcd}-0`);
  });

  test('cdktf.json generates bindings for the provider verify builds', () => {
    const cdktf = JSON.parse(readFileSync('cdktf.json', 'utf8'));
    expect(cdktf.terraformProviders).toEqual([`bpg/proxmox@= ${tools.proxmoxProvider}`]);
  });
});
