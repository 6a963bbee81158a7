import { MAX_PRINTED_PER_POOL, MAX_VMS_PER_BOX, renderTopology, topologyTable } from '../../runbooks/topology';
import { dev, lab, labDedicated, labWith } from '../cloud-init/helpers';

/** The Mermaid block of TOPOLOGY.md. */
const diagram = (doc: string) => doc.slice(doc.indexOf('```mermaid'), doc.indexOf('```', doc.indexOf('```mermaid') + 3));

describe('TOPOLOGY.md and the table synth prints', () => {
  const doc = renderTopology(lab());

  test('GIVEN lab WHEN rendered twice THEN identical, and every VM is in the diagram and the table with its host, VM ID and IP', () => {
    expect(renderTopology(lab())).toBe(doc);
    const m = lab();
    for (const n of m.nodes) {
      expect(diagram(doc)).toContain(`VM ${n.vmId}, ${n.ip}`);
      expect(doc).toContain(`| ${n.name} | ${n.role === 'worker' ? 'worker' : 'control plane'} | ${n.pool} | ${n.host.name} | ${n.vmId} | ${n.ip} |`);
    }
  });

  test('GIVEN lab WHEN rendered THEN each PVE host is a subgraph holding exactly the VMs placed on it', () => {
    const m = lab();
    const d = diagram(doc);
    for (const host of m.hosts) {
      const start = d.indexOf(`subgraph host_${host.name}[`);
      expect(start).toBeGreaterThan(0);
      const body = d.slice(start, d.indexOf('\n    end', start));
      for (const n of m.nodes) expect(body.includes(`"${n.name}<br/>`)).toBe(n.host.name === host.name);
    }
  });

  test('GIVEN colocated load balancing WHEN rendered THEN the VIP, router ID and MetalLB range are drawn and the VIP links to every control plane', () => {
    const d = diagram(doc);
    expect(d).toContain('API VIP 10.20.0.10:6443<br/>Keepalived router ID 51');
    expect(d).toContain('MetalLB 10.20.0.200 - 10.20.0.220');
    expect(d).toContain('node network 10.20.0.0/24, VLAN 20, gateway 10.20.0.1');
    expect(d.match(/^ {2}vip -\. VRRP \.- /gm)).toHaveLength(3);
    expect(d).not.toContain('-->');
  });

  test('GIVEN dedicated load balancers WHEN rendered THEN the VIP links to them and each forwards to every control plane', () => {
    const m = labDedicated();
    const d = diagram(renderTopology(m));
    for (const lb of m.loadBalancers) {
      expect(d).toContain(`vip -. VRRP .- vm_${lb.name.replace(/-/g, '_')}`);
      for (const cp of m.controlPlanes) expect(d).toContain(`vm_${lb.name.replace(/-/g, '_')} -- ":6443" --> vm_${cp.name.replace(/-/g, '_')}`);
    }
    expect(d.match(/:::lb$/gm)).toHaveLength(m.loadBalancers.length);
  });

  test('GIVEN a pool too large to draw WHEN rendered THEN each host box folds the rest into one "+ N more" node, and the table still lists every node', () => {
    const m = labWith((d) => { d.workers[0].count = 60; d.network.metallb = { start: '10.20.0.230', end: '10.20.0.240' }; });
    const t = renderTopology(m);
    const d = diagram(t);
    const perHost = 60 / m.hosts.length;
    expect(d.match(/:::worker$/gm)).toHaveLength(m.hosts.length * (MAX_VMS_PER_BOX + 1));
    expect(d).toContain(`+ ${perHost - MAX_VMS_PER_BOX} more in pool worker`);
    expect(t.match(/^\| lab-worker-\d+ \|/gm)).toHaveLength(60);
    // GitHub refuses diagrams over 50,000 characters or 500 edges.
    expect(d.length).toBeLessThan(50_000);
  });

  test('GIVEN lab WHEN printed THEN one aligned row per node, then the VIP and MetalLB lines', () => {
    const text = topologyTable(lab());
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ {2}node +role +pool +PVE host +VM ID +IP$/);
    expect(lines.slice(1, 7).map((l) => l.trim().split(/ {2,}/))).toEqual(lab().nodes.map((n) => [n.name, n.role === 'worker' ? 'worker' : 'control plane', n.pool, n.host.name, String(n.vmId), n.ip]));
    // Aligned: the last column (IP) starts at the same offset on every row.
    expect(new Set(lines.slice(0, 7).map((l) => l.lastIndexOf('  ') + 2)).size).toBe(1);
    expect(lines.slice(7)).toEqual([
      '  API VIP  10.20.0.10:6443 (Keepalived router ID 51, HAProxy on lab-cp-1, lab-cp-2, lab-cp-3)',
      '  MetalLB  10.20.0.200-10.20.0.220 (ingress 10.20.0.200)',
    ]);
  });

  test('GIVEN a large pool WHEN printed THEN the rows stop at the limit and one line counts the rest', () => {
    const m = labWith((d) => { d.workers[0].count = 60; d.network.metallb = { start: '10.20.0.230', end: '10.20.0.240' }; });
    const text = topologyTable(m);
    expect(text.match(/^ {2}lab-worker-/gm)).toHaveLength(MAX_PRINTED_PER_POOL);
    expect(text).toContain(`  ... ${60 - MAX_PRINTED_PER_POOL} more in pool worker (lab-worker-${MAX_PRINTED_PER_POOL + 1} to lab-worker-60; every node in TOPOLOGY.md)`);
  });

  test('GIVEN dev (one host, one control plane) WHEN rendered THEN it matches the reviewed snapshot', () => {
    expect(renderTopology(dev())).toMatchSnapshot();
  });
});
