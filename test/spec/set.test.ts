import { setRules } from '../../spec';
import type * as Spec from '../../spec';
import { labDoc, load } from './helpers';

function other(mutate: (doc: Record<string, any>) => void) {
  const doc = labDoc();
  doc.name = 'lab2';
  doc.proxmox.vmIdBase = 5000;
  doc.network = { ...doc.network, cidr: '10.60.0.0/24', gateway: '10.60.0.1', vip: '10.60.0.10', metallb: { start: '10.60.0.200', end: '10.60.0.220' } };
  doc.controlPlane.ipStart = '10.60.0.11';
  doc.workers[0].ipStart = '10.60.0.21';
  doc.loadBalancer = { routerId: 52 }; // same Proxmox hosts, bridge and VLAN: one L2 segment
  mutate(doc);
  return load(doc, 'clusters/lab2.yaml');
}

describe('rules across several specs', () => {
  const lab = load(labDoc(), 'clusters/lab.yaml');

  test('two distinct clusters pass', () => {
    expect(setRules([lab, other(() => {})])).toEqual([]);
  });

  test('fails when two specs use one cluster name', () => {
    const errors = setRules([lab, other((d) => (d.name = 'lab'))]);
    expect(errors.map((e) => e.message).join('\n')).toContain('clusters/lab2.yaml: name: cluster name is also used by clusters/lab.yaml (received "lab")');
  });

  test('fails when two clusters on one Proxmox endpoint share a VM ID', () => {
    const errors = setRules([lab, other((d) => (d.proxmox.vmIdBase = 2000))]);
    expect(errors.map((e) => e.message).join('\n')).toContain('VM ID 2001 of lab2-cp-1 is also used by lab-cp-1 in clusters/lab.yaml');
  });

  test('the same VM IDs on another Proxmox cluster (other endpoint, other node names) are fine', () => {
    const errors = setRules([lab, other((d) => { d.proxmox.vmIdBase = 2000; d.proxmox.endpoint = 'https://pve-other.example.internal:8006/'; d.proxmox.hosts = [{ name: 'pve7' }, { name: 'pve8' }, { name: 'pve9' }]; })]);
    expect(errors).toEqual([]);
  });

  test('fails when clusters on one network share a Keepalived router ID or an address', () => {
    const errors = setRules([lab, other((d) => { d.network = labDoc().network; d.network.vip = '10.20.0.9'; d.controlPlane.ipStart = '10.20.0.13'; d.workers[0].ipStart = '10.20.0.31'; d.network.metallb = { start: '10.20.0.230', end: '10.20.0.240' }; d.loadBalancer = {}; })]);
    const text = errors.map((e) => e.message).join('\n');
    expect(text).toContain('loadBalancer.routerId: Keepalived router ID is also used by clusters/lab.yaml on an overlapping node network (received 51)');
    expect(text).toContain('controlPlane.ipStart: node lab2-cp-1 has IP 10.20.0.13, already node lab-cp-3 in clusters/lab.yaml');
  });
});

describe('node names across clusters', () => {
  test('GIVEN cluster a with pool b-cp and cluster a-b WHEN checked together THEN the shared node name is refused', () => {
    const a = other((d) => { d.name = 'a'; d.workers = [{ name: 'b-cp', count: 1, ipStart: '10.60.0.21' }]; });
    const ab = load({ ...labDoc(), name: 'a-b', proxmox: { ...labDoc().proxmox, endpoint: 'https://pve-x.example.internal:8006/', hosts: [{ name: 'pvx1' }, { name: 'pvx2' }, { name: 'pvx3' }] }, network: { ...labDoc().network, cidr: '10.70.0.0/24', gateway: '10.70.0.1', vip: '10.70.0.10', metallb: { start: '10.70.0.200', end: '10.70.0.220' } }, controlPlane: { ...labDoc().controlPlane, ipStart: '10.70.0.11' }, workers: [] }, 'clusters/a-b.yaml');
    const text = setRules([a, ab]).map((e) => e.message).join('\n');
    expect(text).toContain('clusters/a-b.yaml: controlPlane.name: node name a-b-cp-1 (VM name, hostname and snippet a-b-cp-1.cloud-config.yaml) is also a node of a in clusters/lab2.yaml');
  });
});

describe('finding the specs of a folder', () => {
  const { specFilesIn } = jest.requireActual('../../spec') as typeof Spec;

  test('lists *.yaml sorted, so output order never depends on the file system', () => {
    expect(specFilesIn('clusters')).toEqual(['clusters/dev.yaml', 'clusters/lab.yaml']);
  });

  test('fails with the folder, the cause and where its name came from when it does not exist', () => {
    expect(() => specFilesIn('no-such-folder', 'PVE_K8S_CLUSTERS_DIR')).toThrow('no-such-folder: (root): cannot read the spec folder: ENOENT (folder from PVE_K8S_CLUSTERS_DIR)');
  });

  test('fails when the folder holds no spec', () => {
    expect(() => specFilesIn('test/spec')).toThrow('test/spec: (root): no cluster specs (*.yaml) in this folder');
  });
});
