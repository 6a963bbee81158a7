import { loadSpecFile } from '../../spec';
import { errorOf, labDoc, load } from './helpers';

describe('the derived cluster model', () => {
  test('lab spreads its 3 control planes over 3 distinct PVE hosts', () => {
    const { model } = loadSpecFile('clusters/lab.yaml');
    expect(new Set(model.controlPlanes.map((n) => n.host.name)).size).toBe(3);
  });

  test('node names, IPs and VM IDs follow the pool, in order', () => {
    const { model } = loadSpecFile('clusters/lab.yaml');
    expect(model.nodes.map((n) => [n.name, n.ip, n.vmId])).toEqual([
      ['lab-cp-1', '10.20.0.11', 2001],
      ['lab-cp-2', '10.20.0.12', 2002],
      ['lab-cp-3', '10.20.0.13', 2003],
      ['lab-worker-1', '10.20.0.21', 2101],
      ['lab-worker-2', '10.20.0.22', 2102],
      ['lab-worker-3', '10.20.0.23', 2103],
    ]);
  });

  test('without ipStart, control planes follow the VIP and workers follow the control planes', () => {
    const doc = labDoc();
    delete doc.controlPlane.ipStart;
    delete doc.workers[0].ipStart;
    const { model } = load(doc);
    expect(model.nodes.map((n) => n.ip)).toEqual(['10.20.0.11', '10.20.0.12', '10.20.0.13', '10.20.0.14', '10.20.0.15', '10.20.0.16']);
  });

  test('a short spec gets the documented defaults', () => {
    const { model } = loadSpecFile('test/fixtures/accept/minimal.yaml');
    // the newest patch checked of the default minor; unpinned, so synth notices when it moves
    expect(model.kubernetes).toEqual(expect.objectContaining({ version: '1.30.14', pinned: false }));
    expect(model.controlPlanes).toHaveLength(3);
    expect(model.network).toMatchObject({
      apiPort: 6443,
      podCidr: '10.244.0.0/16',
      serviceCidr: '10.96.0.0/12',
      dns: ['192.168.50.1'],
      kubernetesServiceIp: '10.96.0.1',
      clusterDnsIp: '10.96.0.10',
      controlPlaneEndpoint: '192.168.50.10:6443',
    });
    expect(model.ingress).toEqual({ kind: 'nginx', ip: '192.168.50.240' });
    // Argo CD: no single sign-on, no allowlist without a firewall admin CIDR; no cluster-scoped kind for apps/.
    expect(model.gitops).toEqual({ engine: 'argocd', path: 'dist/mini/manifests', appsPath: 'apps/mini', appsClusterKinds: [], argocd: { ingressAllowlist: [] } });
    expect(model.state).toEqual({ backend: 'local', path: 'state/mini.tfstate', legacyPath: 'terraform.mini.tfstate' });
    expect(model.hosts[0]).toEqual({ name: 'pve1', bridge: 'vmbr0', storage: { image: 'local', disk: 'local-lvm', snippets: 'local' } });
  });

  test('dedicated load balancers get their own VMs on distinct hosts', () => {
    const { model } = loadSpecFile('test/fixtures/accept/dedicated-lb-k8s131.yaml');
    expect(model.loadBalancers.map((n) => [n.name, n.ip])).toEqual([
      ['prod-lb-1', '10.40.0.5'],
      ['prod-lb-2', '10.40.0.6'],
    ]);
    expect(model.loadBalancers[0]!.host.name).not.toBe(model.loadBalancers[1]!.host.name);
    expect(model.kubernetes.minor.kubeadmApiVersion).toBe('kubeadm.k8s.io/v1beta4');
  });

  test('a worker pool placed on named hosts only uses those hosts', () => {
    const { model } = loadSpecFile('test/fixtures/accept/dedicated-lb-k8s131.yaml');
    const gpu = model.workers.filter((n) => n.pool === 'gpu');
    expect(new Set(gpu.map((n) => n.host.name))).toEqual(new Set(['pve4', 'pve5']));
  });
});

describe('spec warnings', () => {
  test('a single control plane is accepted with a no-HA warning', () => {
    const { warnings } = loadSpecFile('clusters/dev.yaml');
    expect(warnings.map((w) => w.message)).toContain('a single control plane is not highly available');
  });

  test('more control planes than PVE hosts is a warning, not an error', () => {
    const doc = labDoc();
    doc.proxmox.hosts = [{ name: 'pve1' }, { name: 'pve2' }];
    doc.controlPlane.count = 3;
    const { warnings } = load(doc);
    expect(warnings.some((w) => w.path.join('.') === 'controlPlane.hosts')).toBe(true);
  });
});

describe('spec errors', () => {
  test('every problem is reported at once, not only the first', () => {
    const doc = labDoc();
    doc.controlPlane.count = 4;
    doc.network.vip = '10.20.0.205';
    const message = errorOf(() => load(doc, 'x.yaml'));
    expect(message).toContain('x.yaml: controlPlane.count:');
    expect(message).toContain('x.yaml: network.vip: the VIP is inside the MetalLB pool');
  });

  test('fails when the VIP is inside the MetalLB pool, showing the value received', () => {
    const doc = labDoc();
    doc.network.vip = '10.20.0.210';
    expect(errorOf(() => load(doc, 'lab.yaml'))).toContain('lab.yaml: network.vip: the VIP is inside the MetalLB pool 10.20.0.200-10.20.0.220 (received "10.20.0.210")');
  });

  test('a missing spec file is reported with its path', () => {
    expect(errorOf(() => loadSpecFile('clusters/nope.yaml'))).toContain('clusters/nope.yaml: (root): cannot read the spec: ENOENT');
  });
});
