/**
 * Facts several renderers need are resolved once in the model; these tests pin each resolved
 * section to the spec fields it comes from and to every consumer that must agree with it.
 */
import { ciliumValues } from '../../facts';
import { errorOf, labDoc, load } from './helpers';

describe('GIVEN the resolved ingress section', () => {
  it('WHEN addons.ingress.ip is not set THEN the ingress IP is the first MetalLB address and the kind is the controller', () => {
    const { model } = load(labDoc());
    expect(model.ingress).toEqual({ kind: 'nginx', ip: '10.20.0.200' });
  });

  it('WHEN addons.ingress sets the controller and an IP THEN the model carries both', () => {
    const doc = labDoc();
    doc.addons.ingress = { controller: 'gateway-api', ip: '10.20.0.210' };
    expect(load(doc).model.ingress).toEqual({ kind: 'gateway-api', ip: '10.20.0.210' });
  });
});

describe('GIVEN the resolved load balancer section', () => {
  it('WHEN the mode is colocated THEN the control planes run HAProxy + Keepalived', () => {
    const { model } = load(labDoc());
    expect(model.loadBalancer.mode).toBe('colocated');
    expect(model.loadBalancer.nodes).toEqual(model.controlPlanes);
    expect(model.loadBalancers).toEqual([]);
  });

  it('WHEN the mode is dedicated THEN exactly the load-balancer VMs do', () => {
    const doc = labDoc();
    doc.loadBalancer = { mode: 'dedicated' };
    const { model } = load(doc);
    expect(model.loadBalancer.nodes.map((n) => n.name)).toEqual(['lab-lb-1', 'lab-lb-2']);
    expect(model.loadBalancer.nodes).toEqual(model.loadBalancers);
  });
});

describe('GIVEN the per-node pod CIDR mask size', () => {
  it('WHEN Cilium is configured THEN its cluster-pool mask size is the model\'s', () => {
    const { model } = load(labDoc());
    expect(model.network.podCidrMaskSize).toBe(24);
    expect((ciliumValues(model).ipam as any).operator.clusterPoolIPv4MaskSize).toBe(model.network.podCidrMaskSize);
  });

  it('WHEN the pod CIDR has fewer per-node slices than nodes THEN the loader names the mask size and the prefix needed', () => {
    const doc = labDoc();
    doc.network.podCidr = '10.244.0.0/22'; // four /24 slices for six nodes
    expect(errorOf(() => load(doc))).toContain('network.podCidr: too small: Cilium gives each node a /24, so 6 nodes need a /21 or larger');
  });
});

describe('GIVEN derived defaults outside the schema', () => {
  it('WHEN addons.certManager.acmeEmail is not set THEN the model resolves admin@<domain>', () => {
    const doc = labDoc();
    delete doc.addons.certManager;
    expect(load(doc).model.certManager).toEqual({ acmeEmail: 'admin@lab.example.internal' });
    expect(load(labDoc()).model.certManager).toEqual({ acmeEmail: 'platform@lab.example.internal' });
  });

  it('WHEN the state is local without a path THEN the model resolves state/<name>.tfstate and the pre-state/ place', () => {
    expect(load(labDoc()).model.state).toEqual({ backend: 'local', path: 'state/lab.tfstate', legacyPath: 'terraform.lab.tfstate' });
  });

  it('WHEN the state is s3 without a key THEN the model resolves pve-k8s/<name>.tfstate', () => {
    const doc = labDoc();
    doc.state = { backend: 's3', bucket: 'tfstate', dynamodbTable: 'lock' };
    expect(load(doc).model.state).toMatchObject({ backend: 's3', bucket: 'tfstate', key: 'pve-k8s/lab.tfstate' });
  });
});

describe('GIVEN where each VM ID comes from', () => {
  it('WHEN a pool sets vmIdStart THEN its nodes point at it, and the others at proxmox.vmIdBase', () => {
    const doc = labDoc();
    doc.workers[0].vmIdStart = 3001;
    const { model } = load(doc);
    expect(model.controlPlanes.map((n) => n.vmIdPath)).toEqual(model.controlPlanes.map(() => ['proxmox', 'vmIdBase']));
    expect(model.workers.map((n) => n.vmIdPath)).toEqual(model.workers.map(() => ['workers', 0, 'vmIdStart']));
  });
});
