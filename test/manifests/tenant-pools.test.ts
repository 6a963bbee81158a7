/** Tenants' own MetalLB allocation (issue 13): a pool per tenant, the platform pool closed to tenants. */
import { METALLB_POOL, tenantPoolName } from '../../manifests/addons/metallb';
import { labModel, render } from './helpers';

const pools = (edit?: (d: any) => void) => {
  const objs = render(labModel(edit)).objects.map((o) => o.obj);
  return { pools: objs.filter((o) => o.kind === 'IPAddressPool'), l2: objs.filter((o) => o.kind === 'L2Advertisement') };
};

describe('GIVEN clusters/lab.yaml with a tenant that has loadBalancerAddresses and one that has none', () => {
  const { pools: all, l2 } = pools((d) => {
    d.addons.tenants = [{ name: 'team-a', loadBalancerAddresses: { start: '10.20.0.230', end: '10.20.0.239' } }, { name: 'team-b' }];
  });
  const platform = all.find((p) => p.metadata.name === METALLB_POOL)!;

  it('THEN the tenant gets its own pool from its range, serving only its namespace', () => {
    const own = all.find((p) => p.metadata.name === tenantPoolName('team-a'))!;
    expect(own.metadata.namespace).toBe('metallb-system');
    expect(own.spec).toEqual({ addresses: ['10.20.0.230-10.20.0.239'], autoAssign: true, serviceAllocation: { namespaces: ['team-a'] } });
    expect(all.map((p) => p.metadata.name).sort()).toEqual([METALLB_POOL, tenantPoolName('team-a')]);
  });

  it('THEN the platform pool serves every namespace but the tenants\' (with or without a range of their own)', () => {
    expect(platform.spec.addresses).toEqual(['10.20.0.200-10.20.0.220']);
    expect(platform.spec.serviceAllocation).toEqual({
      namespaceSelectors: [{ matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['team-a', 'team-b'] }] }],
    });
  });

  it('THEN the one L2Advertisement announces the platform pool and the tenant pool', () => {
    expect(l2).toHaveLength(1);
    expect(l2[0]!.spec.ipAddressPools).toEqual([METALLB_POOL, tenantPoolName('team-a')]);
  });
});

describe('GIVEN no tenants', () => {
  it('THEN the platform pool serves every namespace and is the only one announced', () => {
    const { pools: all, l2 } = pools();
    expect(all).toHaveLength(1);
    expect(all[0]!.spec).toEqual({ addresses: ['10.20.0.200-10.20.0.220'], autoAssign: true });
    expect(l2[0]!.spec.ipAddressPools).toEqual([METALLB_POOL]);
  });
});
