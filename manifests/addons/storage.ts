/** Storage: local-path-provisioner as the default StorageClass (default), or NFS CSI. */
import type { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-30';
import { AddonChart } from '../addon-chart';
import type { ClusterModel } from '../../spec';
import type { Platform } from '../platform';
import { SMALL } from './resources';

export const LOCAL_PATH_NAMESPACE = 'local-path-storage';
export const LOCAL_PATH_DIR = '/opt/local-path-provisioner';
const DEFAULT_CLASS = { 'storageclass.kubernetes.io/is-default-class': 'true' };

/** Helm release of each storage provider. */
export const STORAGE_RELEASES = { 'local-path': 'local-path-provisioner', nfs: 'csi-driver-nfs' } as const;

/** The release serving the default StorageClass, for add-ons whose volumes must wait for it. */
export function storageRelease(model: ClusterModel): string {
  return STORAGE_RELEASES[model.storage.provider];
}

export class StorageChart extends AddonChart {
  constructor(scope: Construct, id: string, platform: Platform) {
    const storage = platform.model.storage;
    const pin = storage.provider === 'nfs' ? platform.versions.charts.nfsCsi : platform.versions.charts.localPath;
    super(scope, id, platform, { addon: pin.chart, version: pin.appVersion });
    if (storage.provider === 'nfs') {
      if (!storage.nfs) {
        throw new Error(`addons.storage.provider "nfs" needs addons.storage.nfs {server, share}, received: ${JSON.stringify(storage.nfs)}`);
      }
      // The NFS CSI driver lives in kube-system (node plugin: privileged, host mounts).
      this.addRelease({
        name: STORAGE_RELEASES.nfs, namespace: 'kube-system', chart: pin, wave: -5,
        values: { controller: { replicas: 2 }, driver: { name: 'nfs.csi.k8s.io' } },
      });
      new k8s.KubeStorageClass(this, 'nfs', {
        metadata: { name: platform.storageClass, annotations: DEFAULT_CLASS },
        provisioner: 'nfs.csi.k8s.io',
        parameters: { server: storage.nfs.server, share: storage.nfs.share },
        reclaimPolicy: 'Delete',
        volumeBindingMode: 'Immediate',
        mountOptions: ['nfsvers=4.1'],
      });
      return;
    }
    platform.addNamespace({
      name: LOCAL_PATH_NAMESPACE, addon: this.addon, version: this.version, podSecurity: 'privileged',
      reason: 'the provisioner\'s helper pods mount hostPath /opt/local-path-provisioner to create and delete volume directories',
      allow: ['apiserver', 'same-namespace'],
    });
    this.addRelease({
      name: STORAGE_RELEASES['local-path'], namespace: LOCAL_PATH_NAMESPACE, chart: pin, wave: -5,
      values: {
        storageClass: { create: true, defaultClass: true, name: platform.storageClass, reclaimPolicy: 'Delete', volumeBindingMode: 'WaitForFirstConsumer' },
        nodePathMap: [{ node: 'DEFAULT_PATH_FOR_NON_LISTED_NODES', paths: [LOCAL_PATH_DIR] }],
        resources: SMALL,
      },
    });
  }
}
