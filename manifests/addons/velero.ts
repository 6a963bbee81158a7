/** Velero: file-system backups of persistent volumes to S3, a BackupStorageLocation and a daily Schedule. */
import type { Construct } from 'constructs';
import { BackupStorageLocation, Schedule } from '../../imports/velero.io';
import { AddonChart } from '../addon-chart';
import type { Platform } from '../platform';
import { assertPinnedImage } from '../versions';
import { MEDIUM, resources, SMALL } from './resources';

export const VELERO_NAMESPACE = 'velero';
/** Existing Secret with key `cloud` (an AWS credentials file) for the S3 bucket. */
export const VELERO_S3_SECRET = { name: 'velero-s3', key: 'cloud' } as const;
/**
 * The kopia repository password. Velero reads it from this Secret and, when the Secret is missing
 * at its start, creates it with a built-in password published in its source
 * (pkg/repository/keys/keys.go): the operator creates it first, and the server pod mounts it so
 * that it cannot start (and create the published one) before the Secret exists.
 */
export const VELERO_REPO_SECRET = { name: 'velero-repo-credentials', key: 'repository-password' } as const;
export const VELERO_SCHEDULE = { name: 'daily', cron: '0 3 * * *', ttl: '720h0m0s' } as const;

export class VeleroChart extends AddonChart {
  constructor(scope: Construct, id: string, platform: Platform) {
    const pin = platform.versions.charts.velero;
    super(scope, id, platform, { addon: 'velero', version: pin.appVersion });
    const { model } = platform;
    const s3 = model.backups.s3;
    if (!s3) throw new Error('VeleroChart needs addons.backups.s3, received: undefined');
    platform.addNamespace({
      name: VELERO_NAMESPACE, addon: this.addon, version: this.version, podSecurity: 'privileged',
      reason: 'the node agent mounts hostPath /var/lib/kubelet/pods to back up pod volumes',
      allow: ['apiserver', 'same-namespace', 'from-monitoring', 'egress-external'],
    });
    this.addRelease({
      name: 'velero', namespace: VELERO_NAMESPACE, chart: pin, wave: 8,
      values: {
        initContainers: [{
          name: 'velero-plugin-for-aws',
          image: assertPinnedImage(platform.versions.images.veleroPluginAws),
          imagePullPolicy: 'IfNotPresent',
          volumeMounts: [{ mountPath: '/target', name: 'plugins' }],
          resources: SMALL,
        }],
        resources: MEDIUM,
        // The location and schedule are rendered below as typed objects.
        backupsEnabled: false,
        snapshotsEnabled: false,
        deployNodeAgent: true,
        nodeAgent: { resources: resources('100m', '256Mi', '1', '1Gi') },
        credentials: { useSecret: true, existingSecret: VELERO_S3_SECRET.name },
        extraVolumes: [{ name: 'repo-credentials', secret: { secretName: VELERO_REPO_SECRET.name, optional: false } }],
        extraVolumeMounts: [{ name: 'repo-credentials', mountPath: '/run/velero-repo-credentials', readOnly: true }],
        configuration: { uploaderType: 'kopia', defaultVolumesToFsBackup: true },
      },
    });
    new BackupStorageLocation(this.config, 'bsl', {
      metadata: { name: 'default', namespace: VELERO_NAMESPACE },
      spec: {
        provider: 'aws',
        default: true,
        objectStorage: { bucket: s3.bucket, prefix: `velero/${model.name}` },
        // Resource backups (every Secret in clear inside the tarball) and logs are written with
        // server-side encryption; kopia encrypts the volume data itself with velero-repo-credentials.
        config: { region: s3.region, s3Url: s3.endpoint, s3ForcePathStyle: 'true', serverSideEncryption: s3.serverSideEncryption },
        credential: { name: VELERO_S3_SECRET.name, key: VELERO_S3_SECRET.key },
      },
    });
    new Schedule(this.config, 'daily', {
      metadata: { name: VELERO_SCHEDULE.name, namespace: VELERO_NAMESPACE },
      spec: {
        schedule: VELERO_SCHEDULE.cron,
        useOwnerReferencesInBackup: false,
        template: {
          includedNamespaces: ['*'],
          excludedNamespaces: ['kube-system', VELERO_NAMESPACE],
          defaultVolumesToFsBackup: true,
          storageLocation: 'default',
          ttl: VELERO_SCHEDULE.ttl,
        },
      },
    });
  }
}
