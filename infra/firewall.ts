/**
 * Proxmox firewall for one node VM (spec proxmox.firewall.enabled): drop inbound by default;
 * allow the node network (cluster traffic, VRRP), the API VIP port on API nodes, HTTP(S) to the
 * MetalLB range, ping, and SSH only from the admin CIDR.
 */
import { Construct } from 'constructs';
import { VirtualEnvironmentFirewallOptions } from '../imports/providers/proxmox/virtual-environment-firewall-options';
import {
  VirtualEnvironmentFirewallRules,
  type VirtualEnvironmentFirewallRulesRule,
} from '../imports/providers/proxmox/virtual-environment-firewall-rules';
import type { ClusterModel, NodeModel } from '../spec';
import type { NodeVm } from './node-vm';

export interface NodeFirewallProps {
  readonly model: ClusterModel;
  readonly node: NodeModel;
  readonly vm: NodeVm;
}

export function firewallRules(model: ClusterModel, node: NodeModel): VirtualEnvironmentFirewallRulesRule[] {
  const net = model.network;
  const servesApi = model.loadBalancer.nodes.some((n) => n.name === node.name);
  const rules: VirtualEnvironmentFirewallRulesRule[] = [
    { type: 'in', action: 'ACCEPT', source: net.cidr, comment: 'cluster traffic and VRRP inside the node network' },
    { type: 'in', action: 'ACCEPT', macro: 'Ping', comment: 'ping' },
    { type: 'in', action: 'ACCEPT', proto: 'tcp', dest: `${net.metallb.start}-${net.metallb.end}`, dport: '80,443', comment: 'ingress on the MetalLB range' },
  ];
  if (servesApi) rules.push({ type: 'in', action: 'ACCEPT', proto: 'tcp', dest: net.vip, dport: String(net.apiPort), comment: 'Kubernetes API on the VIP' });
  const admin = model.proxmox.firewall.adminCidr;
  if (admin) rules.push({ type: 'in', action: 'ACCEPT', proto: 'tcp', source: admin, dport: '22', comment: 'SSH from the admin network' });
  return rules;
}

export class NodeFirewall extends Construct {
  constructor(scope: Construct, id: string, props: NodeFirewallProps) {
    super(scope, id);
    const { node, vm } = props;
    const target = { nodeName: node.host.name, vmId: node.vmId, dependsOn: [vm.vm] };
    new VirtualEnvironmentFirewallRules(this, 'rules', { ...target, rule: firewallRules(props.model, node) }).overrideLogicalId(node.name);
    new VirtualEnvironmentFirewallOptions(this, 'options', {
      ...target,
      enabled: true,
      inputPolicy: 'DROP',
      outputPolicy: 'ACCEPT',
      // The VIP and MetalLB addresses move between VMs: IP filtering would drop them.
      ipfilter: false,
      macfilter: true,
      dhcp: false,
    }).overrideLogicalId(node.name);
  }
}
