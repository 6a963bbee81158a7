import { readFileSync } from 'node:fs';
import { etcdImageFor, loadSpecFile } from '../spec';

/**
 * Versions live in spec/versions.ts; the shell scripts that build verify's tools read
 * tools/versions.json. These rules keep the two from drifting apart.
 */
const tools = JSON.parse(readFileSync('tools/versions.json', 'utf8')) as Record<string, string>;

describe('tool versions agree with spec/versions.ts', () => {
  test('verify builds the Kubernetes binaries of the version every reference cluster pins', () => {
    for (const file of ['clusters/lab.yaml', 'clusters/dev.yaml']) {
      const model = loadSpecFile(file).model;
      expect({ file, version: model.kubernetes.version, pinned: model.kubernetes.pinned }).toEqual({ file, version: tools.kubernetes, pinned: true });
    }
  });

  test('verify builds the etcd that kubeadm deploys for that Kubernetes version', () => {
    const image = etcdImageFor(tools.kubernetes!);
    expect(image).toBe(`registry.k8s.io/etcd:${tools.etcd}-0`);
  });

  test.each([
    ['1.30.3', '3.5.12-0'], ['1.30.4', '3.5.12-0'], ['1.30.5', '3.5.15-0'], ['1.30.14', '3.5.15-0'], ['1.31.4', '3.5.15-0'],
  ])('GIVEN Kubernetes %s THEN the etcd image is the one its kubeadm deploys (%s)', (version, tag) => {
    expect(etcdImageFor(version)).toBe(`registry.k8s.io/etcd:${tag}`);
  });

  test('cdktf.json generates bindings for the provider verify builds', () => {
    const cdktf = JSON.parse(readFileSync('cdktf.json', 'utf8'));
    expect(cdktf.terraformProviders).toEqual([`bpg/proxmox@= ${tools.proxmoxProvider}`]);
  });
});
