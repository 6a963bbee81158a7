/**
 * Rules between two specs `a` (already accepted) and `b` (the one reported on): one Proxmox
 * cluster, one L2 segment, one name space for VMs, hostnames and cloud-init snippets.
 */
import { cidrsOverlap, ipToInt, parseCidr, rangeContains, type IpRange } from '../ip';
import type { SpecIssue } from '../errors';
import type { ClusterModel, NodeModel } from '../model';

/**
 * True when both specs reach one Proxmox cluster: the same endpoint host (any port or case), or
 * PVE node names in common (node names are unique within a Proxmox cluster, and two endpoints
 * of one cluster list the same nodes).
 */
export function sameProxmoxCluster(a: ClusterModel, b: ClusterModel): boolean {
  const host = (m: ClusterModel) => new URL(m.proxmox.endpoint).hostname.toLowerCase();
  if (host(a) === host(b)) return true;
  const names = new Set(a.hosts.map((h) => h.name));
  return b.hosts.some((h) => names.has(h.name));
}

/** One L2 segment: overlapping node networks, or the same bridge and VLAN on one Proxmox cluster. */
export function sameL2(a: ClusterModel, b: ClusterModel): boolean {
  if (cidrsOverlap(parseCidr(a.network.cidr), parseCidr(b.network.cidr))) return true;
  if (!sameProxmoxCluster(a, b) || a.network.vlan !== b.network.vlan) return false;
  const bridges = new Set(a.hosts.map((h) => h.bridge));
  return b.hosts.some((h) => bridges.has(h.bridge));
}

function vmIdIssue(a: ClusterModel, b: ClusterModel): SpecIssue[] {
  const ids = new Map(a.nodes.map((n) => [n.vmId, n]));
  const issues: SpecIssue[] = [];
  const reported = new Set<string>();
  for (const node of b.nodes) {
    const other = ids.get(node.vmId);
    if (!other) continue;
    // Point at what the user wrote in this file: the pool's vmIdStart, or proxmox.vmIdBase.
    const path = node.vmIdPath;
    const key = path.join('.');
    if (reported.has(key)) continue;
    reported.add(key);
    const received = path[0] === 'proxmox' ? b.proxmox.vmIdBase : node.vmId - node.index + 1;
    issues.push({ path, message: `VM ID ${node.vmId} of ${node.name} is also used by ${other.name} in ${a.file} (same Proxmox cluster); pick a range no other cluster uses`, received });
  }
  return issues;
}

function pool(m: ClusterModel): IpRange {
  return { start: ipToInt(m.network.metallb.start), end: ipToInt(m.network.metallb.end) };
}

function metallbIssues(a: ClusterModel, b: ClusterModel): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const [pa, pb] = [pool(a), pool(b)];
  const range = (m: ClusterModel) => `${m.network.metallb.start}-${m.network.metallb.end}`;
  if (pa.start <= pb.end && pb.start <= pa.end) {
    issues.push({ path: ['network', 'metallb'], message: `overlaps the MetalLB range ${range(a)} of ${a.name} in ${a.file} on the same network`, received: b.network.metallb });
  }
  const taken: [string, string][] = [[a.network.vip, `the VIP of ${a.name}`], ...a.nodes.map((n): [string, string] => [n.ip, `node ${n.name}`])];
  for (const [ip, what] of taken) {
    if (rangeContains(pb, ip)) {
      issues.push({ path: ['network', 'metallb'], message: `contains ${ip}, ${what} in ${a.file}`, received: b.network.metallb });
      break;
    }
  }
  const mine: [string, string, readonly (string | number)[]][] = [[b.network.vip, 'the VIP', ['network', 'vip']], ...b.nodes.map((n): [string, string, readonly (string | number)[]] => [n.ip, `node ${n.name}`, n.ipPath])];
  for (const [ip, what, path] of mine) {
    if (rangeContains(pa, ip)) {
      issues.push({ path, message: `${what} has IP ${ip}, inside the MetalLB range ${range(a)} of ${a.name} in ${a.file}`, received: ip });
      break;
    }
  }
  return issues;
}

function nameIssues(a: ClusterModel, b: ClusterModel): SpecIssue[] {
  const names = new Map<string, NodeModel>(a.nodes.map((n) => [n.name, n]));
  const reported = new Set<string>();
  return b.nodes.flatMap((node) => {
    const other = names.get(node.name);
    if (!other || reported.has(node.pool)) return [];
    reported.add(node.pool);
    return [{ path: [...node.specPath, 'name'], message: `node name ${node.name} (VM name, hostname and snippet ${node.name}.cloud-config.yaml) is also a node of ${a.name} in ${a.file}; rename the cluster or the pool`, received: node.pool }];
  });
}

/** Issues of `b` against `a` beyond the ones in spec/set.ts. */
export function acrossRules(a: ClusterModel, b: ClusterModel): SpecIssue[] {
  const issues: SpecIssue[] = [...nameIssues(a, b)];
  if (sameProxmoxCluster(a, b)) issues.push(...vmIdIssue(a, b));
  if (sameL2(a, b)) {
    issues.push(...metallbIssues(a, b));
    if (a.loadBalancer.routerId === b.loadBalancer.routerId && !cidrsOverlap(parseCidr(a.network.cidr), parseCidr(b.network.cidr))) {
      issues.push({ path: ['loadBalancer', 'routerId'], message: `Keepalived router ID is also used by ${a.file} on the same bridge and VLAN`, received: b.loadBalancer.routerId });
    }
  }
  return issues;
}
