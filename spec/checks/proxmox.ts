/**
 * Proxmox rules: the API endpoint, bridges and VLANs, storage that must be shared, and VM IDs
 * after derivation.
 */
import type { ClusterModel } from '../model';
import type { ClusterSpec } from '../schema';
import type { Report } from './report';
import { noCredentials } from './urls';
import { parseCidr } from '../ip';

/** Proxmox's VM ID range (`pvesh get /cluster/nextid` and qm refuse anything else). */
export const VM_ID_MAX = 999_999_999;

/**
 * Storages every Proxmox VE install creates on each node's own disks. Decision: these are
 * node-local, so they cannot be shared image storage, and HA cannot restart a VM whose disk is
 * on one of them on another host (the disk died with its host).
 */
export const NODE_LOCAL_STORAGES: readonly string[] = ['local', 'local-lvm', 'local-zfs'];

export function proxmoxRules(spec: ClusterSpec, report: Report): void {
  const px = spec.proxmox;
  const endpoint = ['proxmox', 'endpoint'];
  if (noCredentials(report, endpoint, px.endpoint)) {
    if (!/^https:\/\/[^/?#]/i.test(px.endpoint)) {
      report.error(endpoint, 'is malformed: write https://<host>:8006/', px.endpoint);
    } else {
      const url = new URL(px.endpoint);
      if (url.pathname !== '/' || url.search !== '' || url.hash !== '') {
        report.error(endpoint, `must be the server only, without the API path: https://${url.host}/`, px.endpoint);
      }
    }
  }

  firewallRules(spec, report);

  const reportedStorage = new Set<string>();
  const once = (kind: string, name: string) => !reportedStorage.has(`${kind}:${name}`) && reportedStorage.add(`${kind}:${name}`);
  px.hosts.forEach((host, i) => {
    if (host.bridge.length > 15) report.error(['proxmox', 'hosts', i, 'bridge'], 'Linux interface names are at most 15 characters', host.bridge);
    if (spec.network.vlan !== undefined && /(\.\d+|v\d+)$/.test(host.bridge)) {
      report.error(['proxmox', 'hosts', i, 'bridge'], `this bridge already carries a VLAN; with network.vlan ${spec.network.vlan} the traffic would be tagged twice: use the untagged bridge (e.g. ${host.bridge.replace(/(\.\d+|v\d+)$/, '')}) or drop network.vlan`, host.bridge);
    }
    if (px.sharedImageStorage && NODE_LOCAL_STORAGES.includes(host.storage.image) && once('image', host.storage.image)) {
      report.error(['proxmox', 'hosts', i, 'storage', 'image'], `sharedImageStorage needs storage shared by all hosts; "${host.storage.image}" is on each host's own disk`, host.storage.image);
    }
    if (px.ha && NODE_LOCAL_STORAGES.includes(host.storage.disk) && once('disk', host.storage.disk)) {
      report.error(['proxmox', 'hosts', i, 'storage', 'disk'], `proxmox.ha needs VM disks on shared storage (Ceph, NFS, ...); "${host.storage.disk}" is on the host's own disk, so HA cannot restart its VMs elsewhere`, host.storage.disk);
    }
  });
}

/**
 * The Proxmox firewall, when enabled, opens the API VIP and SSH to the admin network only, and
 * works only with the datacenter firewall on, which pve-k8s does not manage (one setting shared
 * by every guest and host of the PVE cluster; bpg's resource would also rewrite the hosts' own
 * policies, and two cluster stacks would fight over it).
 */
function firewallRules(spec: ClusterSpec, report: Report): void {
  const fw = spec.proxmox.firewall;
  const path = ['proxmox', 'firewall'];
  if (fw.adminCidr !== undefined && parseCidr(fw.adminCidr).prefix === 0) {
    report.error([...path, 'adminCidr'], 'opens the Kubernetes API and SSH to any source: name the admin network', fw.adminCidr);
  }
  if (!fw.enabled) return;
  if (fw.adminCidr === undefined) {
    report.error([...path, 'adminCidr'], 'is required when the firewall is enabled: the API VIP and SSH are open to it alone', fw.adminCidr);
  }
  if (!fw.datacenterEnabled) {
    report.error(
      [...path, 'datacenterEnabled'],
      'must be true when the firewall is enabled: guest rules do nothing while the Proxmox datacenter firewall is off. pve-k8s does not switch it on (it is shared by every guest and host of the PVE cluster): enable it (Datacenter > Firewall > Options, or `pvesh set /cluster/firewall/options --enable 1` after allowing your own access to the hosts), then set this to true',
      fw.datacenterEnabled,
    );
  }
  if (spec.addons.cni !== 'cilium') {
    report.error([...path, 'enabled'], 'needs addons.cni "cilium": the firewall opens only the ports of the CNI pve-k8s installs', spec.addons.cni);
  }
}

/** Derived VM IDs stay inside Proxmox's range (the base may be fine while base + offset is not). */
export function vmIdRules(model: ClusterModel, report: Report): void {
  const reported = new Set<string>();
  for (const node of model.nodes) {
    if (node.vmId <= VM_ID_MAX) continue;
    const path = node.vmIdPath;
    const explicit = path[0] !== 'proxmox';
    const key = path.join('.');
    if (reported.has(key)) continue;
    reported.add(key);
    report.error(path, `gives ${node.name} VM ID ${node.vmId}, above Proxmox's maximum ${VM_ID_MAX}`, explicit ? node.vmId - node.index + 1 : model.proxmox.vmIdBase);
  }
}
