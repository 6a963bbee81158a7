/**
 * The cluster's topology as pictures: a plain-text table synth prints per cluster, and
 * TOPOLOGY.md (the same table plus a Mermaid diagram GitHub and GitLab render: PVE hosts as
 * subgraphs holding their VMs, the VIP and its load balancers, MetalLB's range, the node, pod and
 * service networks). Pure: model in, text out.
 */
import type { ClusterModel, NodeModel } from '../spec';

/** Rows of one pool on one PVE host drawn before the rest fold into one "+ N more" box. */
export const MAX_VMS_PER_BOX = 4;
/** Rows per pool synth prints before the rest fold into one line (TOPOLOGY.md lists every node). */
export const MAX_PRINTED_PER_POOL = 8;

const ROLE_LABEL: Readonly<Record<NodeModel['role'], string>> = {
  'control-plane': 'control plane',
  'load-balancer': 'load balancer',
  worker: 'worker',
};

const HEADER = ['node', 'role', 'pool', 'PVE host', 'VM ID', 'IP'];
const row = (n: NodeModel) => [n.name, ROLE_LABEL[n.role], n.pool, n.host.name, String(n.vmId), n.ip];

/** The API endpoint and who holds it, e.g. `10.20.0.10:6443 (Keepalived router ID 51 on lab-cp-1, ...)`. */
function vipText(model: ClusterModel): string {
  const holders = model.loadBalancer.nodes.map((n) => n.name).join(', ');
  return `${model.network.controlPlaneEndpoint} (Keepalived router ID ${model.loadBalancer.routerId}, HAProxy on ${holders})`;
}

function metallbText(model: ClusterModel): string {
  const { start, end } = model.network.metallb;
  return `${start}-${end} (ingress ${model.ingress.ip})`;
}

/** Left-aligned columns separated by two spaces, no trailing blanks. */
function columns(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  '));
}

/** Nodes grouped by pool, in model order. */
function byPool(nodes: readonly NodeModel[]): NodeModel[][] {
  const pools = new Map<string, NodeModel[]>();
  for (const n of nodes) {
    const pool = pools.get(n.pool);
    if (pool) pool.push(n);
    else pools.set(n.pool, [n]);
  }
  return [...pools.values()];
}

/** What synth prints for a cluster: one line per node (large pools folded), then VIP and MetalLB. */
export function topologyTable(model: ClusterModel): string {
  const rows: string[][] = [HEADER];
  const folded: string[] = [];
  for (const pool of byPool(model.nodes)) {
    rows.push(...pool.slice(0, MAX_PRINTED_PER_POOL).map(row));
    const rest = pool.slice(MAX_PRINTED_PER_POOL);
    if (rest.length > 0) folded.push(`  ... ${rest.length} more in pool ${rest[0]!.pool} (${rest[0]!.name} to ${rest.at(-1)!.name}; every node in TOPOLOGY.md)`);
  }
  return [
    ...columns(rows).map((l) => `  ${l}`),
    ...folded,
    `  API VIP  ${vipText(model)}`,
    `  MetalLB  ${metallbText(model)}`,
    '',
  ].join('\n');
}

/** Mermaid ids: letters, digits and underscores only. */
const id = (kind: string, name: string) => `${kind}_${name.replace(/[^A-Za-z0-9]/g, '_')}`;
/** A quoted Mermaid label; `<br/>` breaks lines, a double quote would end the label. */
const label = (...lines: string[]) => `"${lines.map((l) => l.replace(/"/g, '#quot;')).join('<br/>')}"`;

function mermaid(model: ClusterModel): string[] {
  const net = model.network;
  const lbs = model.loadBalancer.nodes;
  const drawn = new Set<string>();
  const out = [
    '```mermaid',
    'flowchart TB',
    `  subgraph ${id('net', model.name)}[${label(`node network ${net.cidr}${net.vlan !== undefined ? `, VLAN ${net.vlan}` : ''}, gateway ${net.gateway}`)}]`,
    `    vip([${label(`API VIP ${net.controlPlaneEndpoint}`, `Keepalived router ID ${model.loadBalancer.routerId}`)}])`,
    `    metallb([${label(`MetalLB ${net.metallb.start} - ${net.metallb.end}`, `ingress ${model.ingress.ip}`)}])`,
  ];
  for (const host of model.hosts) {
    out.push(`    subgraph ${id('host', host.name)}[${label(`PVE host ${host.name} (bridge ${host.bridge})`)}]`);
    const here = model.nodes.filter((n) => n.host.name === host.name);
    if (here.length === 0) out.push(`      ${id('empty', host.name)}[${label('no VMs')}]`);
    for (const pool of byPool(here)) {
      for (const n of pool.slice(0, MAX_VMS_PER_BOX)) {
        out.push(`      ${id('vm', n.name)}[${label(n.name, `${ROLE_LABEL[n.role]}, pool ${n.pool}`, `VM ${n.vmId}, ${n.ip}`)}]:::${n.role === 'load-balancer' ? 'lb' : n.role === 'worker' ? 'worker' : 'cp'}`);
        drawn.add(n.name);
      }
      const rest = pool.slice(MAX_VMS_PER_BOX);
      if (rest.length > 0) {
        out.push(`      ${id('more', `${host.name}_${pool[0]!.pool}`)}[${label(`+ ${rest.length} more in pool ${pool[0]!.pool}`, `${rest[0]!.name} ... ${rest.at(-1)!.name}`)}]:::worker`);
      }
    }
    out.push('    end');
  }
  out.push('  end');
  out.push(`  pods[/${label(`pods ${net.podCidr}`, `services ${net.serviceCidr}`, `cluster DNS ${net.clusterDnsIp}`)}/]`);
  // The VIP moves between the Keepalived nodes; HAProxy there forwards to every API server.
  for (const n of lbs) if (drawn.has(n.name)) out.push(`  vip -. VRRP .- ${id('vm', n.name)}`);
  if (model.loadBalancer.mode === 'dedicated') {
    for (const lb of lbs) for (const cp of model.controlPlanes) if (drawn.has(lb.name) && drawn.has(cp.name)) out.push(`  ${id('vm', lb.name)} -- ":${net.apiServerPort}" --> ${id('vm', cp.name)}`);
  }
  out.push(`  ${id('net', model.name)} --- pods`);
  out.push('  classDef cp fill:#dbeafe,stroke:#1d4ed8');
  out.push('  classDef lb fill:#fef3c7,stroke:#b45309');
  out.push('  classDef worker fill:#dcfce7,stroke:#15803d');
  out.push('```');
  return out;
}

/** dist/<cluster>/TOPOLOGY.md. */
export function renderTopology(model: ClusterModel): string {
  const md = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [
    `# Topology: cluster \`${model.name}\``,
    '',
    '<!-- Generated by runbooks/topology.ts from the cluster spec. Do not edit. -->',
    '',
    ...mermaid(model),
    '',
    `- API VIP: ${vipText(model)}`,
    `- MetalLB: ${metallbText(model)}`,
    `- Networks: nodes ${model.network.cidr}, pods ${model.network.podCidr}, services ${model.network.serviceCidr}`,
    '',
    md(HEADER),
    md(HEADER.map(() => '---')),
    ...model.nodes.map((n) => md(row(n))),
    '',
  ].join('\n');
}
