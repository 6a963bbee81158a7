/**
 * MetalLB: the release, an IPAddressPool from the spec's range (serving every namespace but the
 * tenants'), one IPAddressPool per tenant with loadBalancerAddresses (serving only its namespace)
 * and an L2Advertisement of them all.
 */
import type { Construct } from 'constructs';
import { IpAddressPool, L2Advertisement } from '../../imports/metallb.io';
import { AddonChart } from '../addon-chart';
import type { Platform } from '../platform';
import { resources, SMALL } from './resources';

export const METALLB_NAMESPACE = 'metallb-system';
export const METALLB_POOL = 'default';
/** The IPAddressPool of a tenant's loadBalancerAddresses. */
export const tenantPoolName = (tenant: string): string => `tenant-${tenant}`;

export class MetallbChart extends AddonChart {
  constructor(scope: Construct, id: string, platform: Platform) {
    const pin = platform.versions.charts.metallb;
    super(scope, id, platform, { addon: 'metallb', version: pin.appVersion });
    const { start, end } = platform.model.network.metallb;
    platform.addNamespace({
      name: METALLB_NAMESPACE, addon: this.addon, version: this.version, podSecurity: 'privileged',
      reason: 'the speaker runs with hostNetwork and NET_RAW to answer ARP for LoadBalancer IPs',
      allow: ['apiserver', 'same-namespace', 'from-nodes', 'from-monitoring'],
    });
    this.addRelease({
      name: 'metallb', namespace: METALLB_NAMESPACE, chart: pin, wave: -5,
      values: {
        controller: { resources: resources('25m', '64Mi', '200m', '256Mi') },
        // L2 mode only: no BGP, so no FRR sidecars.
        speaker: { resources: SMALL, frr: { enabled: false } },
      },
    });
    // MetalLB checks serviceAllocation for automatic and requested addresses alike (its allocator's
    // Assign): a tenant cannot take a platform address by asking for it, nor another tenant's.
    const tenants = platform.model.tenants;
    new IpAddressPool(this.config, 'pool', {
      metadata: { name: METALLB_POOL, namespace: METALLB_NAMESPACE },
      spec: {
        addresses: [`${start}-${end}`],
        autoAssign: true,
        ...(tenants.length > 0 ? {
          serviceAllocation: {
            namespaceSelectors: [{ matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: tenants.map((t) => t.name) }] }],
          },
        } : {}),
      },
    });
    const pools = [METALLB_POOL];
    for (const t of tenants) {
      if (!t.loadBalancerAddresses) continue;
      const name = tenantPoolName(t.name);
      new IpAddressPool(this.config, `pool-${name}`, {
        metadata: { name, namespace: METALLB_NAMESPACE },
        spec: {
          addresses: [`${t.loadBalancerAddresses.start}-${t.loadBalancerAddresses.end}`],
          autoAssign: true,
          serviceAllocation: { namespaces: [t.name] },
        },
      });
      pools.push(name);
    }
    new L2Advertisement(this.config, 'l2', {
      metadata: { name: METALLB_POOL, namespace: METALLB_NAMESPACE },
      spec: { ipAddressPools: pools },
    });
  }
}
