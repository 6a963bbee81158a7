/**
 * One Kubernetes node: its cloud-init user-data snippet and its VM.
 *
 * Construct IDs are `snippet` and `vm` under an ID equal to the node name, so Terraform
 * addresses are `..._file.<node>` / `..._vm.<node>`: renaming a node (or a pool, or the cluster)
 * replaces the VM; adding nodes or pools never touches existing ones.
 *
 * Day 2: the snippet is the node's boot-time user data, a day-1 input. Once a VM exists, no spec
 * or toolkit change replaces its snippet or the VM (see lifecycle below and README "Day 2");
 * in-place changes (cores, memory) never reboot it: they apply at its next reboot, which the
 * operator does one node at a time. scripts/verify-day2.sh measures this with real Terraform.
 */
import { Construct } from 'constructs';
import { VirtualEnvironmentFile } from '../imports/providers/proxmox/virtual-environment-file';
import { VirtualEnvironmentVm } from '../imports/providers/proxmox/virtual-environment-vm';
import type { ClusterModel, NodeModel } from '../spec';

/** Snippets hold join secrets: readable by root on the PVE host only. */
export const SNIPPET_FILE_MODE = '0600';

/** How long a removed node gets to shut down cleanly before it is forced off. */
export const SHUTDOWN_TIMEOUT_SECONDS = 300;

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
      // Only root on the PVE host reads it: it holds join secrets (bpg chmods it over SFTP after
      // the SSH upload that snippets use).
      fileMode: SNIPPET_FILE_MODE,
      lifecycle: {
        // source_raw and file_mode are ForceNew: a changed cloud-config would re-upload the file,
        // Proxmox would give the VM a new NoCloud instance-id and cloud-init would run again at the
        // next boot (and the VM's user_data_file_id would become unknown). A node keeps its day-1
        // snippet; new nodes get the current one.
        // node_name: see the VM below (the snippet stays on the VM's host).
        ignoreChanges: ['source_raw', 'file_mode', 'node_name'],
      },
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
      // In-place changes (cores, memory) wait for the operator's reboot, one node at a time: an
      // automatic reboot would restart every control plane of a resized pool at once.
      rebootAfterUpdate: false,
      // A removed node is shut down through the guest agent / ACPI (kubelet and containerd stop
      // cleanly), forced off only after the timeout; drain it first (dist/<name>/OPERATIONS.md).
      stopOnDestroy: false,
      timeoutShutdownVm: SHUTDOWN_TIMEOUT_SECONDS,
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
          firewall: model.proxmox.firewall.enabled,
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
        // The image and the user data are only the seed of the first boot: a newer image or a
        // changed cloud-config must not replace running nodes. node_name: placement is round-robin
        // over the host list, so adding or reordering hosts can move a node on paper; bpg would
        // replace the VM (a new disk). A running node stays on its host; move it by live migration.
        ignoreChanges: ['disk[0].file_id', 'initialization[0].user_data_file_id', 'node_name'],
      },
    });
    this.vm.overrideLogicalId(node.name);
  }
}
