/**
 * Proxmox firewall for one node VM (spec proxmox.firewall.enabled): inbound dropped unless a rule
 * below accepts it, per port and per source; the API VIP and SSH from the admin network (a VM
 * alias, so changing proxmox.firewall.adminCidr updates the alias in place); IP filter on (the VM
 * may send only from its own address, the VIP when it is a load balancer, and the MetalLB range).
 * The datacenter firewall is the operator's (spec/checks/proxmox.ts): a create-time check asks the
 * Proxmox API that it is on before any rule is written.
 */
import { Construct } from 'constructs';
import { VirtualEnvironmentFirewallAlias } from '../imports/providers/proxmox/virtual-environment-firewall-alias';
import { VirtualEnvironmentFirewallIpset } from '../imports/providers/proxmox/virtual-environment-firewall-ipset';
import { VirtualEnvironmentFirewallOptions } from '../imports/providers/proxmox/virtual-environment-firewall-options';
import {
  VirtualEnvironmentFirewallRules,
  type VirtualEnvironmentFirewallRulesRule,
} from '../imports/providers/proxmox/virtual-environment-firewall-rules';
import { CONTROL_PLANE_METRICS_PORTS } from '../facts';
import { rangeToCidrs, type ClusterModel, type NodeModel } from '../spec';
import type { NodeVm } from './node-vm';
import { TerraformData } from './terraform-data';

/** The VM alias holding proxmox.firewall.adminCidr (rules name it; only the alias changes with it). */
export const ADMIN_ALIAS = 'pvek8s-admin';
/** The IP set Proxmox's IP filter reads for the first network device. */
export const IPFILTER_SET = 'ipfilter-net0';

/**
 * Ports of what runs on every Kubernetes node with its chart's defaults (facts/cilium.ts
 * and manifests/addons/metallb.ts leave them unset): reached from the node network only.
 */
export const NODE_PORTS = {
  kubelet: 10250,
  /** Cilium's default tunnel (routingMode tunnel, tunnelProtocol vxlan). */
  ciliumVxlan: 8472,
  ciliumHealth: 4240,
  hubblePeer: 4244,
  /** Cilium agent, Cilium operator and Hubble metrics (prometheus.enabled, hubble.metrics). */
  ciliumMetrics: [9962, 9963, 9965],
  nodeExporter: 9100,
  /** MetalLB speakers (hostNetwork): memberlist (TCP and UDP) and metrics. */
  metallbMemberlist: 7946,
  metallbMetrics: 7472,
  etcd: { client: 2379, peer: 2380 },
} as const;

export interface NodeFirewallProps {
  readonly model: ClusterModel;
  readonly node: NodeModel;
  readonly vm: NodeVm;
  /** Resources that must exist first (the datacenter firewall check). @default none */
  readonly dependsOn?: readonly TerraformData[];
}

const accept = (proto: 'tcp' | 'udp', dport: string | number, source: string, comment: string): VirtualEnvironmentFirewallRulesRule => ({
  type: 'in', action: 'ACCEPT', proto, dport: String(dport), source, comment,
});

/** The inbound rules of one node, in order (Proxmox stops at the first match). */
export function firewallRules(model: ClusterModel, node: NodeModel): VirtualEnvironmentFirewallRulesRule[] {
  const net = model.network;
  const nodes = net.cidr;
  const rules: VirtualEnvironmentFirewallRulesRule[] = [
    accept('tcp', 22, ADMIN_ALIAS, 'SSH from the admin network'),
    { type: 'in', action: 'ACCEPT', macro: 'Ping', source: nodes, comment: 'ping inside the node network' },
    { type: 'in', action: 'ACCEPT', macro: 'Ping', source: ADMIN_ALIAS, comment: 'ping from the admin network' },
  ];
  if (model.loadBalancer.nodes.some((n) => n.name === node.name)) {
    rules.push(
      { type: 'in', action: 'ACCEPT', proto: 'tcp', dest: net.vip, dport: String(net.apiPort), source: nodes, comment: 'Kubernetes API on the VIP from the node network' },
      { type: 'in', action: 'ACCEPT', proto: 'tcp', dest: net.vip, dport: String(net.apiPort), source: ADMIN_ALIAS, comment: 'Kubernetes API on the VIP from the admin network' },
    );
    const peers = model.loadBalancer.nodes.filter((n) => n.name !== node.name).map((n) => n.ip);
    if (peers.length > 0) rules.push({ type: 'in', action: 'ACCEPT', proto: 'vrrp', source: peers.join(','), comment: 'Keepalived VRRP from the other load balancers' });
  }
  if (node.role === 'load-balancer') return rules;

  const p = NODE_PORTS;
  if (node.role === 'control-plane') {
    const m = CONTROL_PLANE_METRICS_PORTS;
    rules.push(
      accept('tcp', net.apiServerPort, nodes, 'kube-apiserver on the node IP (HAProxy, kubelets, pods)'),
      accept('tcp', `${p.etcd.client}:${p.etcd.peer}`, model.controlPlanes.map((n) => n.ip).join(','), 'etcd client and peer: control planes only'),
      accept('tcp', `${m.controllerManager},${m.scheduler},${m.etcd}`, nodes, 'controller-manager, scheduler and etcd metrics (Prometheus)'),
    );
  }
  rules.push(
    accept('tcp', p.kubelet, nodes, 'kubelet API (API server, metrics-server, Prometheus)'),
    accept('udp', p.ciliumVxlan, nodes, 'Cilium VXLAN overlay'),
    accept('tcp', `${p.ciliumHealth},${p.hubblePeer}`, nodes, 'Cilium health checks and Hubble peers'),
    accept('tcp', [...p.ciliumMetrics, p.nodeExporter, p.metallbMetrics].join(','), nodes, 'Cilium, Hubble, node-exporter and MetalLB metrics (Prometheus)'),
    accept('tcp', p.metallbMemberlist, nodes, 'MetalLB memberlist'),
    accept('udp', p.metallbMemberlist, nodes, 'MetalLB memberlist'),
    { type: 'in', action: 'ACCEPT', proto: 'tcp', dest: `${net.metallb.start}-${net.metallb.end}`, dport: '80,443', comment: 'HTTP(S) to the MetalLB range (ingress), any source' },
  );
  return rules;
}

/** The source addresses the IP filter lets the VM use. */
export function ipFilterCidrs(model: ClusterModel, node: NodeModel): string[] {
  const net = model.network;
  const cidrs = [`${node.ip}/32`];
  if (model.loadBalancer.nodes.some((n) => n.name === node.name)) cidrs.push(`${net.vip}/32`);
  // MetalLB L2 answers ARP and replies from the LoadBalancer IPs on whichever node holds them.
  if (node.role !== 'load-balancer') cidrs.push(...rangeToCidrs(net.metallb.start, net.metallb.end));
  return cidrs;
}

/**
 * Create-time check that the Proxmox datacenter firewall is on (GET /cluster/firewall/options).
 * The token goes to curl on stdin, never on a command line; without PROXMOX_VE_API_TOKEN it
 * prints the manual check instead of failing.
 */
export function datacenterFirewallCheck(model: ClusterModel): string {
  const url = new URL('api2/json/cluster/firewall/options', model.proxmox.endpoint).href;
  const curl = `curl -fsS${model.proxmox.insecure ? 'k' : ''} -H @- '${url}'`;
  const manual = 'pvesh get /cluster/firewall/options --output-format json';
  return [
    'set -eu',
    // No "${" or "%{" anywhere: Terraform would read them as its own template syntax.
    'if [ -z "$(printenv PROXMOX_VE_API_TOKEN)" ]; then',
    `  echo "pve-k8s: WARNING: no PROXMOX_VE_API_TOKEN, so the datacenter firewall was not checked: run '${manual}' on a PVE host; it must say \\"enable\\": 1" >&2`,
    '  exit 0',
    'fi',
    `answer=$(printf 'Authorization: PVEAPIToken=%s\\n' "$PROXMOX_VE_API_TOKEN" | ${curl})`,
    'if ! printf %s "$answer" | grep -Eq \'"enable": ?1\'; then',
    '  echo "pve-k8s: the Proxmox datacenter firewall is off: guest firewall rules would do nothing. Enable it (Datacenter > Firewall > Options), then apply again (OPERATIONS.md, Proxmox firewall)." >&2',
    '  exit 1',
    'fi',
    'echo "pve-k8s: the Proxmox datacenter firewall is on"',
  ].join('\n');
}

export class DatacenterFirewallCheck extends Construct {
  readonly resource: TerraformData;

  constructor(scope: Construct, id: string, model: ClusterModel) {
    super(scope, id);
    this.resource = new TerraformData(this, 'check', {
      input: { endpoint: model.proxmox.endpoint },
      provisioners: [{ type: 'local-exec', command: datacenterFirewallCheck(model), interpreter: ['/bin/sh', '-c'] }],
    });
    this.resource.overrideLogicalId('datacenter_firewall_check');
  }
}

export class NodeFirewall extends Construct {
  constructor(scope: Construct, id: string, props: NodeFirewallProps) {
    super(scope, id);
    const { model, node, vm } = props;
    const adminCidr = model.proxmox.firewall.adminCidr;
    if (!adminCidr) throw new Error(`proxmox.firewall.adminCidr is required when the firewall is enabled (spec rules), received: ${JSON.stringify(adminCidr)}`);
    // The VM's node_name from state: a running node stays on its host when placement moves on paper.
    const target = { nodeName: vm.vm.nodeName, vmId: node.vmId };
    const first = [vm.vm, ...(props.dependsOn ?? [])];
    const alias = new VirtualEnvironmentFirewallAlias(this, 'admin', { ...target, name: ADMIN_ALIAS, cidr: adminCidr, comment: 'proxmox.firewall.adminCidr', dependsOn: first });
    alias.overrideLogicalId(node.name);
    const ipset = new VirtualEnvironmentFirewallIpset(this, 'ipfilter', {
      ...target,
      name: IPFILTER_SET,
      comment: 'source addresses this VM may use',
      cidr: ipFilterCidrs(model, node).map((name) => ({ name })),
      dependsOn: first,
    });
    ipset.overrideLogicalId(node.name);
    const rules = new VirtualEnvironmentFirewallRules(this, 'rules', { ...target, rule: firewallRules(model, node), dependsOn: [...first, alias] });
    rules.overrideLogicalId(node.name);
    new VirtualEnvironmentFirewallOptions(this, 'options', {
      ...target,
      enabled: true,
      inputPolicy: 'DROP',
      outputPolicy: 'ACCEPT',
      ipfilter: true,
      macfilter: true,
      dhcp: false,
      ndp: false,
      radv: false,
      // Written last: the rules and the IP set exist before DROP and the filter take effect.
      dependsOn: [rules, ipset],
    }).overrideLogicalId(node.name);
  }
}
