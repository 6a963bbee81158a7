/**
 * Backup bucket encryption (issue 13): Velero's resource backups hold every Secret in clear, so
 * everything the cluster writes to the bucket asks for server-side encryption, chosen once in the
 * model (BACKUP_BUCKET_SSE) for the etcd snapshot upload and Velero's BackupStorageLocation alike.
 */
import { BACKUP_BUCKET_SSE } from '../../spec';
import { labModel, render } from './helpers';

describe('GIVEN clusters/lab.yaml with an S3 bucket and Velero', () => {
  const model = labModel();
  const objs = render(model).objects.map((o) => o.obj);

  it('WHEN the model is derived THEN the bucket carries the one SSE choice: SSE-S3', () => {
    expect(model.backups.s3?.serverSideEncryption).toBe(BACKUP_BUCKET_SSE);
    expect(BACKUP_BUCKET_SSE).toBe('AES256');
  });

  it('WHEN Velero\'s BackupStorageLocation is rendered THEN it asks velero-plugin-for-aws for that SSE', () => {
    const bsls = objs.filter((o) => o.kind === 'BackupStorageLocation');
    expect(bsls).toHaveLength(1);
    expect(bsls[0].spec.provider).toBe('aws');
    expect(bsls[0].spec.config.serverSideEncryption).toBe(model.backups.s3!.serverSideEncryption);
  });

  it('WHEN the etcd snapshot uploads are rendered THEN each passes the same SSE to the AWS CLI', () => {
    const uploads = objs.filter((o) => o.kind === 'CronJob')
      .flatMap((cj) => cj.spec.jobTemplate.spec.template.spec.initContainers.filter((c: { name: string }) => c.name === 'upload'));
    expect(uploads).toHaveLength(model.controlPlanes.length);
    for (const u of uploads) expect(u.args.join('\n')).toContain(` s3 cp --sse ${model.backups.s3!.serverSideEncryption} `);
  });
});

describe('GIVEN no S3 bucket', () => {
  it('WHEN the model is derived THEN there is no bucket and no SSE to choose', () => {
    expect(labModel((d) => { delete d.addons.backups.s3; }).backups.s3).toBeUndefined();
  });
});
