/**
 * One Kubernetes node: its cloud-init user-data snippet and its VM.
 *
 * Construct IDs are `snippet` and `vm` under an ID equal to the node name, so Terraform
 * addresses are `..._file.<node>` / `..._vm.<node>`: renaming a node (or a pool, or the cluster)
 * replaces the VM; adding nodes or pools never touches existing ones.
 */
import { Construct } from 'constructs';
import { VirtualEnvironmentFile } from '../imports/providers/proxmox/virtual-environment-file';
import { VirtualEnvironmentVm } from '../imports/providers/proxmox/virtual-environment-vm';
import type { ClusterModel, NodeModel } from '../spec';

export interface NodeVmProps {
  readonly model: ClusterModel;
  readonly node: NodeModel;
  /** Volume ID of the cloud image on the node's host. */
  readonly imageFileId: string;
  /** The node's #cloud-config, already escaped for Terraform with secret references in place. */
  readonly userData: string;
}

export class NodeVm extends Construct {
  readonly vm: VirtualEnvironmentVm;
  readonly snippet: VirtualEnvironmentFile;

  constructor(scope: Construct, id: string, props: NodeVmProps) {
    super(scope, id);
    const { model, node } = props;
    const net = model.network;
    this.snippet = new VirtualEnvironmentFile(this, 'snippet', {
      nodeName: node.host.name,
      datastoreId: node.host.storage.snippets,
      contentType: 'snippets',
      sourceRaw: { fileName: `${node.name}.cloud-config.yaml`, data: props.userData },
    });
    this.snippet.overrideLogicalId(node.name);
    this.vm = new VirtualEnvironmentVm(this, 'vm', {
      name: node.name,
      nodeName: node.host.name,
      vmId: node.vmId,
      description: `Kubernetes ${node.role} of cluster ${model.name}, managed by pve-k8s (Terraform). Do not edit by hand.`,
      tags: ['pve-k8s', `cluster-${model.name}`, node.role],
      onBoot: true,
      started: true,
      stopOnDestroy: true,
      machine: 'q35',
      bios: 'seabios',
      scsiHardware: 'virtio-scsi-single',
      operatingSystem: { type: 'l26' },
      agent: { enabled: true, trim: true },
      cpu: { type: 'host', cores: node.cores, sockets: 1 },
      memory: { dedicated: node.memory, floating: 0 },
      disk: [
        {
          interface: 'scsi0',
          datastoreId: node.host.storage.disk,
          fileId: props.imageFileId,
          size: node.disk,
          discard: 'on',
          iothread: true,
          ssd: true,
          fileFormat: 'raw',
        },
      ],
      networkDevice: [
        {
          bridge: node.host.bridge,
          model: 'virtio',
          firewall: model.spec.proxmox.firewall.enabled,
          ...(net.vlan !== undefined ? { vlanId: net.vlan } : {}),
          ...(net.mtu !== undefined ? { mtu: net.mtu } : {}),
        },
      ],
      serialDevice: [{ device: 'socket' }],
      vga: { type: 'serial0' },
      initialization: {
        datastoreId: node.host.storage.disk,
        ipConfig: [{ ipv4: { address: `${node.ip}/${net.prefix}`, gateway: net.gateway } }],
        dns: { servers: [...net.dns], domain: net.searchDomain },
        userDataFileId: this.snippet.id,
      },
      lifecycle: {
        // The image is only the seed of the first boot; a newer image must not replace running nodes.
        ignoreChanges: ['disk[0].file_id'],
      },
    });
    this.vm.overrideLogicalId(node.name);
  }
}
