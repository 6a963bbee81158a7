/** One snapshot per add-on chart folder of clusters/lab.yaml (plus S3 and a tenant for Velero/tenants). */
import { labModel, render } from './helpers';

const lab = render(labModel());
const labWithS3 = render(labModel((d) => {
  d.addons.backups = { s3: { endpoint: 'https://s3.lab.example.internal', bucket: 'lab-backups' } };
  d.addons.tenants = [{ name: 'team-a', adminGroups: ['team-a-admins'], viewGroups: ['auditors'] }];
}));

function folders(files: ReadonlyMap<string, string>): string[] {
  return [...new Set([...files.keys()].map((f) => f.split('/')[0]!))].filter((f) => f !== 'kustomization.yaml').sort();
}

function folderText(files: ReadonlyMap<string, string>, folder: string): string {
  return [...files].filter(([f]) => f.startsWith(`${folder}/`)).map(([f, t]) => `# ${f}\n${t}`).join('---\n');
}

describe('GIVEN clusters/lab.yaml WHEN its manifests are synthesized', () => {
  it.each(folders(lab.manifests))('THEN the %s chart matches its snapshot', (folder) => {
    expect(folderText(lab.manifests, folder)).toMatchSnapshot();
  });

  it('THEN versions.json, RESTORE.md and SECRETS.md match their snapshots', () => {
    expect(lab.versionsJson).toMatchSnapshot();
    expect(lab.restoreMd).toMatchSnapshot();
    expect(lab.restoreMd).toContain('[SECRETS.md](SECRETS.md)');
    expect(lab.restoreMd).not.toContain('create secret');
    expect(lab.secretsMd).toMatchSnapshot();
  });
});

describe('GIVEN clusters/lab.yaml with S3 backups and a tenant WHEN synthesized', () => {
  it.each(['velero', 'velero-config', 'tenants', 'etcd-backup'])('THEN the %s chart matches its snapshot', (folder) => {
    expect(folderText(labWithS3.manifests, folder)).toMatchSnapshot();
  });

  it('THEN RESTORE.md includes the S3 and Velero restore commands, SECRETS.md their Secrets', () => {
    expect(labWithS3.restoreMd).toMatchSnapshot();
    expect(labWithS3.restoreMd).toContain('velero -n velero restore create --from-schedule');
    expect(labWithS3.secretsMd).toContain('kubectl -n velero create secret generic velero-s3');
    expect(labWithS3.secretsMd).toContain('kubectl -n etcd-backup create secret generic etcd-backup-s3');
  });
});
