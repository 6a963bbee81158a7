/**
 * Facts several renderers need are resolved once in the model; these tests pin each resolved
 * section to the spec fields it comes from and to every consumer that must agree with it.
 */
import { ciliumValues } from '../../manifests/values/cilium';
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
