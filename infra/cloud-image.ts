/**
 * The Ubuntu cloud image, downloaded once per PVE host (or once in all when the image storage
 * is shared), with optional checksum verification from the spec.
 */
import { Construct } from 'constructs';
import { VirtualEnvironmentDownloadFile } from '../imports/providers/proxmox/virtual-environment-download-file';
import type { ClusterModel } from '../spec';

export interface CloudImageProps {
  readonly model: ClusterModel;
}

export class CloudImage extends Construct {
  private readonly fileIds = new Map<string, string>();

  constructor(scope: Construct, id: string, props: CloudImageProps) {
    super(scope, id);
    const { model } = props;
    const shared = model.proxmox.sharedImageStorage;
    const hosts = shared ? model.hosts.slice(0, 1) : model.hosts;
    for (const host of hosts) {
      // ID per host name: adding a host never renames the existing downloads.
      const download = new VirtualEnvironmentDownloadFile(this, shared ? 'shared' : host.name, {
        nodeName: host.name,
        datastoreId: host.storage.image,
        contentType: 'iso',
        url: model.image.url,
        fileName: model.image.fileName,
        overwrite: false,
        uploadTimeout: 1800,
        ...(model.image.checksum ? { checksum: model.image.checksum.value, checksumAlgorithm: model.image.checksum.algorithm } : {}),
      });
      download.overrideLogicalId(shared ? 'cloud-image-shared' : `cloud-image-${host.name}`);
      if (shared) for (const h of model.hosts) this.fileIds.set(h.name, download.id);
      else this.fileIds.set(host.name, download.id);
    }
  }

  /** Volume ID of the image on the storage the given host reads it from. */
  fileIdFor(hostName: string): string {
    const id = this.fileIds.get(hostName);
    if (!id) throw new Error(`no cloud image for PVE host ${JSON.stringify(hostName)}`);
    return id;
  }
}
