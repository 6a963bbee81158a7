/**
 * etcd snapshots: one CronJob per control plane (each keeps its own last N snapshots on the
 * node): etcdctl snapshot save -> snapshot status (verify) -> optional S3 upload -> rotate.
 * The Job sees only the three etcd client files it needs (never the etcd CA key); snapshots
 * are root-only on the node (0600 in a 0700 folder) and uploaded with server-side encryption.
 */
import type { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-30';
import type { NodeModel } from '../../spec';
import { AddonChart } from '../addon-chart';
import type { Platform } from '../platform';
import { assertPinnedImage } from '../versions';
import { resources, SMALL } from './resources';

export const ETCD_BACKUP_NAMESPACE = 'etcd-backup';
/** Snapshot directory on each control-plane node. */
export const ETCD_BACKUP_DIR = '/var/lib/etcd-backup';
/** Existing Secret with AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (only when backups.s3 is set). */
export const ETCD_S3_SECRET = 'etcd-backup-s3';
const PKI = '/etc/kubernetes/pki/etcd';
const INCOMING = '/incoming';

/** How etcdctl reaches the local etcd member of a kubeadm control plane (used by the Job and RESTORE.md). */
export const ETCD_CLIENT = {
  endpoint: 'https://127.0.0.1:2379',
  cacert: `${PKI}/ca.crt`,
  cert: `${PKI}/healthcheck-client.crt`,
  key: `${PKI}/healthcheck-client.key`,
} as const;

const etcdctlEnv: k8s.EnvVar[] = [
  { name: 'ETCDCTL_API', value: '3' },
  { name: 'ETCDCTL_ENDPOINTS', value: ETCD_CLIENT.endpoint },
  { name: 'ETCDCTL_CACERT', value: ETCD_CLIENT.cacert },
  { name: 'ETCDCTL_CERT', value: ETCD_CLIENT.cert },
  { name: 'ETCDCTL_KEY', value: ETCD_CLIENT.key },
];

/** Root is needed only to read the etcd client key (0600 root); nothing else is granted. */
const securityContext: k8s.SecurityContext = {
  runAsUser: 0,
  runAsNonRoot: false,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

export function rotateScript(keep: number): string {
  if (!Number.isInteger(keep) || keep < 1) throw new Error(`etcdKeep must be a positive integer, received: ${JSON.stringify(keep)}`);
  return [
    'set -eu',
    // Snapshots hold every object of the cluster: root-only, also those an older Job wrote 0644.
    'umask 077',
    `chmod 0700 ${ETCD_BACKUP_DIR}`,
    `ts=$(date -u +%Y%m%dT%H%M%SZ)`,
    `cp ${INCOMING}/snapshot.db ${ETCD_BACKUP_DIR}/etcd-snapshot-$ts.db.part`,
    `mv ${ETCD_BACKUP_DIR}/etcd-snapshot-$ts.db.part ${ETCD_BACKUP_DIR}/etcd-snapshot-$ts.db`,
    `chmod 0600 ${ETCD_BACKUP_DIR}/etcd-snapshot-*.db`,
    `ls -1t ${ETCD_BACKUP_DIR}/etcd-snapshot-*.db | tail -n +${keep + 1} | xargs -r rm -f`,
    `ls -l ${ETCD_BACKUP_DIR}`,
  ].join('\n');
}

export class EtcdBackupChart extends AddonChart {
  constructor(scope: Construct, id: string, platform: Platform) {
    super(scope, id, platform, { addon: 'etcd-backup', version: platform.versions.images.etcd.split(':').pop()! });
    platform.addNamespace({
      name: ETCD_BACKUP_NAMESPACE, addon: this.addon, version: this.version, podSecurity: 'privileged',
      reason: 'snapshot jobs use hostNetwork (etcd listens on 127.0.0.1:2379) and hostPath mounts of the etcd client certificate, key and CA certificate and the snapshot directory',
      allow: ['egress-external'],
    });
    for (const node of platform.model.controlPlanes) this.cronJob(node);
  }

  private cronJob(node: NodeModel): k8s.KubeCronJob {
    const { model, versions } = this.platform;
    const backups = model.backups;
    const s3 = backups.s3;
    // One hostPath per file etcdctl reads: the folder would also expose the etcd CA key.
    const clientFiles = [
      { name: 'etcd-ca-crt', path: ETCD_CLIENT.cacert },
      { name: 'etcd-client-crt', path: ETCD_CLIENT.cert },
      { name: 'etcd-client-key', path: ETCD_CLIENT.key },
    ];
    const mounts = {
      client: clientFiles.map((f) => ({ name: f.name, mountPath: f.path, readOnly: true })),
      incoming: { name: 'incoming', mountPath: INCOMING },
      store: { name: 'snapshots', mountPath: ETCD_BACKUP_DIR },
      tmp: { name: 'tmp', mountPath: '/tmp' },
    };
    const etcdImage = assertPinnedImage(versions.images.etcd);
    const initContainers: k8s.Container[] = [
      {
        name: 'save', image: etcdImage, command: ['etcdctl'], args: ['snapshot', 'save', `${INCOMING}/snapshot.db`],
        env: etcdctlEnv, volumeMounts: [...mounts.client, mounts.incoming], securityContext, resources: k8sResources(resources('100m', '128Mi', '1', '512Mi')),
      },
      {
        name: 'verify', image: etcdImage, command: ['etcdctl'], args: ['snapshot', 'status', `${INCOMING}/snapshot.db`, '--write-out=table'],
        env: [{ name: 'ETCDCTL_API', value: '3' }], volumeMounts: [mounts.incoming], securityContext, resources: k8sResources(resources('50m', '64Mi', '500m', '256Mi')),
      },
    ];
    if (s3) {
      const target = `s3://${s3.bucket}/etcd/${model.name}/${node.name}`;
      initContainers.push({
        name: 'upload', image: assertPinnedImage(versions.images.awsCli), command: ['/bin/sh', '-c'],
        args: [`set -eu\naws --endpoint-url "${s3.endpoint}" s3 cp --sse ${s3.serverSideEncryption} ${INCOMING}/snapshot.db "${target}/etcd-snapshot-$(date -u +%Y%m%dT%H%M%SZ).db"`],
        env: [
          { name: 'AWS_DEFAULT_REGION', value: s3.region },
          { name: 'AWS_ACCESS_KEY_ID', valueFrom: { secretKeyRef: { name: ETCD_S3_SECRET, key: 'AWS_ACCESS_KEY_ID' } } },
          { name: 'AWS_SECRET_ACCESS_KEY', valueFrom: { secretKeyRef: { name: ETCD_S3_SECRET, key: 'AWS_SECRET_ACCESS_KEY' } } },
          { name: 'HOME', value: '/tmp' },
        ],
        volumeMounts: [mounts.incoming, mounts.tmp], securityContext, resources: k8sResources(resources('50m', '128Mi', '500m', '512Mi')),
      });
    }
    return new k8s.KubeCronJob(this, `cron-${node.name}`, {
      metadata: { name: `etcd-backup-${node.name}`, namespace: ETCD_BACKUP_NAMESPACE },
      spec: {
        schedule: backups.etcdSchedule,
        timeZone: 'Etc/UTC',
        concurrencyPolicy: 'Forbid',
        // A run missed by more than 10 minutes (control plane down) is skipped, not started late.
        startingDeadlineSeconds: 600,
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          spec: {
            backoffLimit: 1,
            activeDeadlineSeconds: 900,
            template: {
              metadata: { labels: { 'app.kubernetes.io/name': 'etcd-backup', 'app.kubernetes.io/instance': node.name } },
              spec: {
                restartPolicy: 'Never',
                hostNetwork: true,
                dnsPolicy: 'ClusterFirstWithHostNet',
                automountServiceAccountToken: false,
                // Pod-level default for every container (each also sets its own securityContext).
                securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
                nodeSelector: { 'kubernetes.io/hostname': node.name },
                tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }],
                initContainers,
                containers: [{
                  name: 'rotate', image: assertPinnedImage(versions.images.shell), command: ['/bin/sh', '-c'], args: [rotateScript(backups.etcdKeep)],
                  volumeMounts: [mounts.incoming, mounts.store], securityContext, resources: k8sResources(SMALL),
                }],
                volumes: [
                  ...clientFiles.map((f) => ({ name: f.name, hostPath: { path: f.path, type: 'File' } })),
                  { name: mounts.store.name, hostPath: { path: ETCD_BACKUP_DIR, type: 'DirectoryOrCreate' } },
                  { name: mounts.incoming.name, emptyDir: { sizeLimit: k8s.Quantity.fromString('8Gi') } },
                  { name: mounts.tmp.name, emptyDir: {} },
                ],
              },
            },
          },
        },
      },
    });
  }
}

function k8sResources(r: ReturnType<typeof resources>): k8s.ResourceRequirements {
  const q = (v: string) => k8s.Quantity.fromString(v);
  return {
    requests: { cpu: q(r.requests.cpu), memory: q(r.requests.memory) },
    limits: { cpu: q(r.limits.cpu), memory: q(r.limits.memory) },
  };
}
