/** The Proxmox firewall (issue 13): per-port rules, API and SSH from the admin network, IP filter, datacenter check. */
import { ADMIN_ALIAS, datacenterFirewallCheck, firewallRules, ipFilterCidrs } from '../../infra/firewall';
import { cidrContains, ipToInt, parseCidr, rangeToCidrs, type ClusterModel } from '../../spec';
import { labModel, modelFromText, synthStack } from './helpers';
import { readFileSync } from 'node:fs';

/** clusters/lab.yaml plus the firewall (a line inserted under proxmox:). */
function labWithFirewall(): ClusterModel {
  const base = readFileSync('clusters/lab.yaml', 'utf8');
  const text = base.replace(/^proxmox:\n/m, `proxmox:\n  firewall: { enabled: true, adminCidr: 10.99.0.0/24, datacenterEnabled: true }\n`);
  if (text === base) throw new Error('clusters/lab.yaml has no proxmox: section');
  return modelFromText(text);
}

describe('GIVEN clusters/lab.yaml with the firewall on', () => {
  const model = labWithFirewall();
  const tf = synthStack(model);
  const r = tf.resource;

  test('THEN every node gets an admin alias, an IP filter set, rules and options, at node-name addresses', () => {
    for (const type of ['alias', 'ipset', 'rules', 'options']) {
      expect(Object.keys(r[`proxmox_virtual_environment_firewall_${type}`]).sort()).toEqual(model.nodes.map((n) => n.name).sort());
    }
  });

  test('THEN every accept names a port or ping and a source, except HTTP(S) to the MetalLB range', () => {
    for (const node of model.nodes) {
      for (const rule of firewallRules(model, node)) {
        expect(rule.action).toBe('ACCEPT');
        expect(rule.dport !== undefined || rule.macro === 'Ping' || rule.proto === 'vrrp').toBe(true);
        if (rule.source === undefined) expect(rule).toMatchObject({ dest: `${model.network.metallb.start}-${model.network.metallb.end}`, dport: '80,443' });
      }
    }
  });

  test('THEN the API VIP and SSH accept only the node network and the admin alias', () => {
    for (const node of model.nodes) {
      const rules = firewallRules(model, node);
      const api = rules.filter((x) => x.dest === model.network.vip);
      expect(api.map((x) => x.source).sort()).toEqual(model.loadBalancer.nodes.includes(node) ? [ADMIN_ALIAS, model.network.cidr].sort() : []);
      expect(rules.filter((x) => x.dport === '22').map((x) => x.source)).toEqual([ADMIN_ALIAS]);
    }
    expect(r.proxmox_virtual_environment_firewall_alias['lab-worker-1']).toMatchObject({ name: ADMIN_ALIAS, cidr: '10.99.0.0/24' });
  });

  test('THEN etcd is open on control planes only, to the control planes only', () => {
    const cps = model.controlPlanes.map((n) => n.ip).join(',');
    for (const node of model.nodes) {
      const etcd = firewallRules(model, node).filter((x) => x.dport?.includes('2379'));
      expect(etcd).toEqual(node.role === 'control-plane' ? [expect.objectContaining({ dport: '2379:2380', source: cps })] : []);
    }
  });

  test('THEN the IP filter is on, and each VM may send only from its IP, the VIP (load balancers) and the MetalLB range', () => {
    for (const node of model.nodes) {
      expect(r.proxmox_virtual_environment_firewall_options[node.name]).toMatchObject({ enabled: true, input_policy: 'DROP', ipfilter: true, macfilter: true });
      const set = r.proxmox_virtual_environment_firewall_ipset[node.name];
      expect(set.name).toBe('ipfilter-net0');
      expect(set.cidr.map((c: any) => c.name)).toEqual(ipFilterCidrs(model, node));
      expect(set.cidr[0].name).toBe(`${node.ip}/32`);
      expect(set.cidr.some((c: any) => c.name === `${model.network.vip}/32`)).toBe(model.loadBalancer.nodes.includes(node));
    }
  });

  test('THEN the firewall follows the VM\'s own node_name and waits for the datacenter check', () => {
    const rules = r.proxmox_virtual_environment_firewall_rules['lab-cp-1'];
    expect(rules.node_name).toBe('${proxmox_virtual_environment_vm.lab-cp-1.node_name}');
    expect(r.proxmox_virtual_environment_firewall_alias['lab-cp-1'].depends_on).toContain('terraform_data.datacenter_firewall_check');
    expect(r.proxmox_virtual_environment_firewall_options['lab-cp-1'].depends_on).toEqual(
      expect.arrayContaining(['proxmox_virtual_environment_firewall_rules.lab-cp-1', 'proxmox_virtual_environment_firewall_ipset.lab-cp-1']),
    );
    expect(r.terraform_data.datacenter_firewall_check.provisioner[0]['local-exec'].command).toBe(datacenterFirewallCheck(model));
  });

  test('THEN the datacenter check sends the API token on stdin, never on a command line, and fails when "enable" is not 1', () => {
    const script = datacenterFirewallCheck(model);
    expect(script).toContain(`printf 'Authorization: PVEAPIToken=%s\\n' "$PROXMOX_VE_API_TOKEN" | curl -fsS -H @- 'https://pve1.lab.example.internal:8006/api2/json/cluster/firewall/options'`);
    expect(script).toMatch(/grep -Eq '"enable": \?1'/);
    expect(script).toContain('exit 1');
    expect(script).not.toMatch(/[$%]\{/); // Terraform template syntax: the command would not parse

  });
});

describe('GIVEN a dedicated load balancer', () => {
  const model = modelFromText(readFileSync('test/fixtures/accept/dedicated-lb-k8s131.yaml', 'utf8'));
  test('THEN it accepts only SSH, ping, the API VIP and VRRP from its peer (no Kubernetes ports)', () => {
    const lb = model.loadBalancer.nodes[0]!;
    const rules = firewallRules(model, lb);
    expect(rules.map((x) => x.dport ?? x.macro ?? x.proto)).toEqual(['22', 'Ping', 'Ping', '8443', '8443', 'vrrp']);
    expect(rules.at(-1)!.source).toBe(model.loadBalancer.nodes[1]!.ip);
    expect(ipFilterCidrs(model, lb)).toEqual([`${lb.ip}/32`, `${model.network.vip}/32`]);
  });
});

describe('GIVEN the firewall off (clusters/lab.yaml)', () => {
  test('THEN there is no firewall resource and no datacenter check', () => {
    const tf = synthStack(labModel());
    expect(Object.keys(tf.resource).filter((t) => t.includes('firewall'))).toEqual([]);
    expect(Object.keys(tf.resource.terraform_data)).toEqual(['join_secrets']);
  });
});

describe('GIVEN an address range', () => {
  test.each([
    ['10.20.0.200', '10.20.0.220', ['10.20.0.200/29', '10.20.0.208/29', '10.20.0.216/30', '10.20.0.220/32']],
    ['10.40.3.0', '10.40.3.254', ['10.40.3.0/25', '10.40.3.128/26', '10.40.3.192/27', '10.40.3.224/28', '10.40.3.240/29', '10.40.3.248/30', '10.40.3.252/31', '10.40.3.254/32']],
    ['10.0.0.5', '10.0.0.5', ['10.0.0.5/32']],
  ])('THEN rangeToCidrs(%s, %s) covers exactly it with the fewest aligned blocks', (start, end, expected) => {
    const cidrs = rangeToCidrs(start, end);
    expect(cidrs).toEqual(expected);
    const covered = cidrs.map(parseCidr).reduce((n, c) => n + 2 ** (32 - c.prefix), 0);
    expect(covered).toBe(ipToInt(end) - ipToInt(start) + 1);
    expect(cidrContains(parseCidr(cidrs[0]!), start) && cidrContains(parseCidr(cidrs.at(-1)!), end)).toBe(true);
  });
});
