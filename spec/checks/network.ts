/** Network rules kubeadm, the node resolver and DNS names depend on. */
import { intToIp, ipToInt, isHostAddress, parseCidr, rangeContains, blockSize, type IpRange } from '../ip';
import type { ClusterModel } from '../model';
import type { ClusterSpec } from '../schema';
import type { Report } from './report';

/** kubeadm gives cluster DNS the 10th address of the service network. */
const CLUSTER_DNS_OFFSET = 10;

export function networkRules(spec: ClusterSpec, report: Report): void {
  const net = spec.network;
  try {
    const service = parseCidr(net.serviceCidr);
    if (blockSize(service.prefix) <= CLUSTER_DNS_OFFSET + 1) {
      report.error(['network', 'serviceCidr'], `too small: kubeadm puts cluster DNS at the 10th address (${intToIp(service.network + CLUSTER_DNS_OFFSET)}), so the service network must be a /28 or larger`, net.serviceCidr);
    }
  } catch {
    // reported by the CIDR rules
  }

  const clusterDomain = spec.kubernetes.clusterDomain;
  if (spec.domain === clusterDomain || spec.domain.endsWith(`.${clusterDomain}`)) {
    report.error(['kubernetes', 'clusterDomain'], `must not be ${spec.domain === clusterDomain ? 'the platform domain' : `a parent of the platform domain ${spec.domain}`}: CoreDNS would answer its names inside the cluster`, clusterDomain);
  }
  const names: [readonly (string | number)[], string | undefined][] = [
    [['domain'], spec.domain],
    [['network', 'searchDomain'], net.searchDomain],
    [['kubernetes', 'clusterDomain'], clusterDomain],
  ];
  for (const [path, name] of names) {
    const long = name?.split('.').find((l) => l.length > 63);
    if (long) report.error(path, `the DNS label "${long.slice(0, 20)}..." is ${long.length} characters; at most 63`, name);
  }
}

export function nodeNetworkRules(spec: ClusterSpec, model: ClusterModel, report: Report): void {
  const net = model.network;
  const pool = { start: ipToInt(net.metallb.start), end: ipToInt(net.metallb.end) };
  const nodeIps = new Map(model.nodes.map((n) => [n.ip, n.name]));
  (spec.network.dns ?? []).forEach((dns, i) => {
    const path = ['network', 'dns', i];
    const why = rangeContains(pool, dns) ? `is inside the MetalLB range ${net.metallb.start}-${net.metallb.end}`
      : dns === net.vip ? 'is the API VIP'
      : nodeIps.has(dns) ? `is node ${nodeIps.get(dns)}`
      : undefined;
    if (why) report.error(path, `the nodes' DNS server ${why}, which does not exist before the cluster does; use a resolver outside the cluster`, dns);
  });
  tenantAddressRules(model, report);
  const longest = [...model.nodes].sort((a, b) => b.name.length - a.name.length)[0];
  if (longest && longest.name.length + 1 + model.domain.length > 253) {
    report.error(['domain'], `too long: node FQDN ${longest.name}.${model.domain} is over 253 characters`, model.domain);
  }
}

/**
 * Each tenant's MetalLB range (addons.tenants[].loadBalancerAddresses): host addresses of the node
 * network, start <= end, apart from the platform pool, the VIP, the gateway, the node IPs and the
 * ranges of the tenants before it.
 */
function tenantAddressRules(model: ClusterModel, report: Report): void {
  const net = model.network;
  let nodeCidr;
  try { nodeCidr = parseCidr(net.cidr); } catch { return; } // reported by the CIDR rules
  const platform: IpRange = { start: ipToInt(net.metallb.start), end: ipToInt(net.metallb.end) };
  const overlaps = (a: IpRange, b: IpRange) => a.start <= b.end && b.start <= a.end;
  const taken: [string, string][] = [
    [net.vip, 'the VIP'], [net.gateway, 'the gateway'],
    ...model.nodes.map((n): [string, string] => [n.ip, `node ${n.name}'s IP`]),
  ];
  const seen: [string, IpRange][] = [];
  model.tenants.forEach((t, i) => {
    const r = t.loadBalancerAddresses;
    if (!r) return;
    const path = ['addons', 'tenants', i, 'loadBalancerAddresses'];
    const outside = (['start', 'end'] as const).filter((k) => !isHostAddress(nodeCidr, r[k]));
    if (outside.length > 0) {
      report.error([...path, outside[0]!], `must be a host address inside the node network ${net.cidr}`, r[outside[0]!]);
      return;
    }
    const range: IpRange = { start: ipToInt(r.start), end: ipToInt(r.end) };
    if (range.start > range.end) { report.error([...path, 'end'], `must not be below start ${r.start}`, r.end); return; }
    const why = overlaps(range, platform) ? `overlaps the platform MetalLB pool ${net.metallb.start}-${net.metallb.end} (network.metallb)`
      : taken.filter(([ip]) => rangeContains(range, ip)).map(([ip, what]) => `contains ${what} ${ip}`)[0]
      ?? seen.filter(([, other]) => overlaps(range, other)).map(([name, other]) => `overlaps tenant ${name}'s range ${intToIp(other.start)}-${intToIp(other.end)}`)[0];
    if (why) report.error(path, `tenant ${t.name}'s MetalLB range ${why}`, r);
    seen.push([t.name, range]);
  });
}
