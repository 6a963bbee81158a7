/** Network rules kubeadm, the node resolver and DNS names depend on. */
import { intToIp, ipToInt, parseCidr, rangeContains, blockSize } from '../ip';
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
  const longest = [...model.nodes].sort((a, b) => b.name.length - a.name.length)[0];
  if (longest && longest.name.length + 1 + model.domain.length > 253) {
    report.error(['domain'], `too long: node FQDN ${longest.name}.${model.domain} is over 253 characters`, model.domain);
  }
}
