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

/** A range MetalLB hands out: the platform pool, or a tenant's own (addons.tenants[].loadBalancerAddresses). */
interface LbRange {
  readonly range: IpRange;
  readonly what: string;
  readonly path: readonly (string | number)[];
  readonly received: { readonly start: string; readonly end: string };
}

function lbRanges(m: ClusterModel): LbRange[] {
  const of = (r: { readonly start: string; readonly end: string }, what: string, path: readonly (string | number)[]): LbRange => ({
    range: { start: ipToInt(r.start), end: ipToInt(r.end) }, what: `${what} ${r.start}-${r.end}`, path, received: r,
  });
  return [
    of(m.network.metallb, 'the MetalLB range', ['network', 'metallb']),
    ...m.tenants.flatMap((t, i) => (t.loadBalancerAddresses ? [of(t.loadBalancerAddresses, `tenant ${t.name}'s MetalLB range`, ['addons', 'tenants', i, 'loadBalancerAddresses'])] : [])),
  ];
}

function metallbIssues(a: ClusterModel, b: ClusterModel): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const [ra, rb] = [lbRanges(a), lbRanges(b)];
  const taken: [string, string][] = [[a.network.vip, `the VIP of ${a.name}`], ...a.nodes.map((n): [string, string] => [n.ip, `node ${n.name}`])];
  for (const mine of rb) {
    const other = ra.find((o) => o.range.start <= mine.range.end && mine.range.start <= o.range.end);
    if (other) issues.push({ path: mine.path, message: `overlaps ${other.what} of ${a.name} in ${a.file} on the same network`, received: mine.received });
    const hit = taken.find(([ip]) => rangeContains(mine.range, ip));
    if (hit) issues.push({ path: mine.path, message: `contains ${hit[0]}, ${hit[1]} in ${a.file}`, received: mine.received });
  }
  const mine: [string, string, readonly (string | number)[]][] = [[b.network.vip, 'the VIP', ['network', 'vip']], ...b.nodes.map((n): [string, string, readonly (string | number)[]] => [n.ip, `node ${n.name}`, n.ipPath])];
  for (const [ip, what, path] of mine) {
    const other = ra.find((o) => rangeContains(o.range, ip));
    if (other) {
      issues.push({ path, message: `${what} has IP ${ip}, inside ${other.what} of ${a.name} in ${a.file}`, received: ip });
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
