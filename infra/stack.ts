/**
 * One cluster = one Terraform stack, named after the cluster (`cdktf deploy <name>`).
 *
 * Terraform addresses are a contract: renaming one destroys and recreates the resource. Every
 * per-node resource is addressed by the node name (`proxmox_virtual_environment_vm.lab-cp-1`),
 * which derives from the cluster and pool names, never from list positions; downloads are
 * addressed by PVE host name. See README "Terraform addresses".
 */
import type { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { ProxmoxProvider } from '../imports/providers/proxmox/provider';
import { VirtualEnvironmentHaresource } from '../imports/providers/proxmox/virtual-environment-haresource';
import { renderNodeTemplate } from '../cloud-init';
import { manifestFacts } from '../manifests/pod-security';
import type { ClusterModel } from '../spec';
import { configureBackend } from './backend';
import { CloudImage } from './cloud-image';
import { DatacenterFirewallCheck, NodeFirewall } from './firewall';
import { JoinSecrets } from './join-secrets';
import { NodeVm } from './node-vm';
import { interpolateSecrets } from './terraform-text';

export interface ClusterStackProps {
  readonly model: ClusterModel;
}

/**
 * The command that fetches the admin kubeconfig (cluster-admin credentials): written 0600 from
 * the first byte (umask 077, whatever the operator's umask), under a temporary name that replaces
 * the file only when ssh succeeded (a failed fetch never truncates a working kubeconfig), chmod
 * for a leftover temporary file of another mode.
 */
export function kubeconfigCommand(model: ClusterModel): string {
  const file = `kubeconfig-${model.name}.yaml`;
  const first = model.controlPlanes[0]!;
  return `(umask 077 && ssh ${model.ssh.user}@${first.ip} sudo cat /etc/kubernetes/admin.conf > ${file}.new && chmod 600 ${file}.new && mv -f ${file}.new ${file})`;
}

export class ClusterStack extends TerraformStack {
  readonly nodes: readonly NodeVm[];

  constructor(scope: Construct, id: string, props: ClusterStackProps) {
    super(scope, id);
    const { model } = props;
    configureBackend(this, model);
    // Credentials come from the environment only (PROXMOX_VE_API_TOKEN, PROXMOX_VE_SSH_*).
    new ProxmoxProvider(this, 'proxmox', { endpoint: model.proxmox.endpoint, insecure: model.proxmox.insecure });
    const secrets = new JoinSecrets(this, 'secrets');
    const image = new CloudImage(this, 'image', { model });

    const firewallCheck = model.proxmox.firewall.enabled ? new DatacenterFirewallCheck(this, 'datacenter-firewall', model) : undefined;

    this.nodes = model.nodes.map((node) => {
      const userData = interpolateSecrets(renderNodeTemplate(model, node, manifestFacts(model)), secrets.expressions);
      const vm = new NodeVm(this, node.name, { model, node, imageFileId: image.fileIdFor(node.host.name), userData });
      if (firewallCheck) new NodeFirewall(vm, 'firewall', { model, node, vm, dependsOn: [firewallCheck.resource] });
      if (model.proxmox.ha) {
        new VirtualEnvironmentHaresource(vm, 'ha', { resourceId: `vm:${node.vmId}`, state: 'started', comment: `pve-k8s ${model.name}`, dependsOn: [vm.vm] }).overrideLogicalId(node.name);
      }
      return vm;
    });

    const output = (name: string, value: unknown, description: string) =>
      new TerraformOutput(this, name, { value, description }).overrideLogicalId(name);
    output('api_endpoint', `https://${model.network.controlPlaneEndpoint}`, 'Kubernetes API behind the Keepalived VIP');
    output('nodes', Object.fromEntries(model.nodes.map((n) => [n.name, { ip: n.ip, role: n.role, host: n.host.name, vm_id: n.vmId }])), 'Every node: IP, role, PVE host, VM ID');
    // Sensitive: `terraform output` shows <sensitive>; only `terraform output -json join_secrets`
    // prints the values, for the runbook's rotation and token steps (they are in state anyway).
    new TerraformOutput(this, 'join_secrets', {
      value: { bootstrap_token: secrets.expressions.bootstrapToken, certificate_key: secrets.expressions.certificateKey, encryption_key: secrets.expressions.encryptionKey, keepalived_password: secrets.expressions.keepalivedPassword },
      description: 'The join secrets nodes created now get (OPERATIONS.md "Join secrets")',
      sensitive: true,
    }).overrideLogicalId('join_secrets');
    output('kubeconfig_command', kubeconfigCommand(model), 'Fetches the admin kubeconfig (mode 0600) from the first control plane (cloud-init must have finished)');
  }

  /**
   * cdktf's prepareStack resolves every element once with `preparing: true` only to discover
   * cross-stack references (and add remote state for them); synthesize then resolves it all again.
   * A cluster stack is built from its own model alone and never references another stack, so
   * the first pass finds nothing and is skipped: half of the resolve work, about 0.4 s of synth
   * at 1,000 workers. test/infra/prepare-stack.test.ts proves the output is the same as cdktf's.
   */
  override prepareStack(): void {
    this.ensureBackendExists();
  }
}
