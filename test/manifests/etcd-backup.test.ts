/** The etcd-backup Job's confinement (issue 13): least PKI, root-only snapshots, encrypted uploads. */
import { ETCD_CLIENT, rotateScript } from '../../manifests/addons/etcd-backup';
import { labModel, render } from './helpers';

const lab = render(labModel());
const noS3 = render(labModel((d) => { delete d.addons.backups.s3; }));
const cronJobs = (r: ReturnType<typeof render>) => r.objects.filter((o) => o.obj.kind === 'CronJob' && o.obj.metadata.namespace === 'etcd-backup').map((o) => o.obj);
const podOf = (cj: any) => cj.spec.jobTemplate.spec.template.spec;

describe('GIVEN clusters/lab.yaml (S3 set) WHEN the etcd-backup CronJobs are rendered', () => {
  const jobs = cronJobs(lab);

  it('THEN there is one per control plane', () => {
    expect(jobs).toHaveLength(labModel().controlPlanes.length);
  });

  it('THEN the only PKI hostPaths are the etcd client certificate, key and CA certificate, each of type File (never the CA key)', () => {
    for (const cj of jobs) {
      const pki = podOf(cj).volumes.filter((v: any) => v.hostPath?.path.startsWith('/etc/kubernetes'));
      expect(pki.map((v: any) => v.hostPath).sort((a: any, b: any) => a.path.localeCompare(b.path))).toEqual(
        [ETCD_CLIENT.cacert, ETCD_CLIENT.cert, ETCD_CLIENT.key].sort().map((path) => ({ path, type: 'File' })),
      );
      expect(JSON.stringify(cj)).not.toContain('ca.key');
    }
  });

  it('THEN the save container mounts exactly the files etcdctl is pointed at', () => {
    for (const cj of jobs) {
      const save = podOf(cj).initContainers.find((c: any) => c.name === 'save');
      const env = Object.fromEntries(save.env.map((e: any) => [e.name, e.value]));
      const mounted = save.volumeMounts.filter((m: any) => m.readOnly).map((m: any) => m.mountPath).sort();
      expect(mounted).toEqual([env.ETCDCTL_CACERT, env.ETCDCTL_CERT, env.ETCDCTL_KEY].sort());
    }
  });

  it('THEN every upload asks for server-side encryption', () => {
    for (const cj of jobs) {
      const upload = podOf(cj).initContainers.find((c: any) => c.name === 'upload');
      expect(upload.args.join('\n')).toMatch(/ s3 cp --sse AES256 /);
    }
  });

  it('THEN RESTORE.md documents the SSE, the bucket lock and retention commands', () => {
    expect(lab.restoreMd).toContain('--sse AES256');
    expect(lab.restoreMd).toContain('--object-lock-enabled-for-bucket');
    expect(lab.restoreMd).toContain('"Mode":"COMPLIANCE"');
  });
});

describe('GIVEN no S3 WHEN the etcd-backup CronJobs are rendered', () => {
  it('THEN there is no upload container and RESTORE.md says snapshots have no off-cluster copy', () => {
    for (const cj of cronJobs(noS3)) expect(podOf(cj).initContainers.map((c: any) => c.name)).toEqual(['save', 'verify']);
    expect(noS3.restoreMd).toContain('Off-cluster copies: none');
  });
});

describe('GIVEN the rotate script', () => {
  it('THEN it sets umask 077 before writing, makes the folder 0700 and every snapshot 0600', () => {
    const lines = rotateScript(3).split('\n');
    const umask = lines.indexOf('umask 077');
    expect(umask).toBeGreaterThan(-1);
    expect(umask).toBeLessThan(lines.findIndex((l) => l.startsWith('cp ')));
    expect(lines).toContain('chmod 0700 /var/lib/etcd-backup');
    expect(lines).toContain('chmod 0600 /var/lib/etcd-backup/etcd-snapshot-*.db');
  });

  it('THEN RESTORE.md reads the root-only snapshot through sudo and keeps the copy 0600', () => {
    expect(lab.restoreMd).toMatch(/sudo sh -c 'ls -1t \/var\/lib\/etcd-backup\/etcd-snapshot-\*\.db \| head -1'/);
    expect(lab.restoreMd).toContain('(umask 077 && ssh');
    expect(lab.restoreMd).not.toMatch(/scp \S+:\$SNAP/);
  });
});
