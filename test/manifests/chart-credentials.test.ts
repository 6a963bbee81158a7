/**
 * Every add-on credential comes from a Secret the operator creates (SECRETS.md), never from a
 * chart default: Harbor's keys and internal passwords, Velero's kopia repository password.
 * (scripts/verify-manifests.sh checks the rendered values against the upstream charts' defaults.)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HARBOR_CREDENTIALS } from '../../manifests/addons/harbor';
import { VELERO_REPO_SECRET } from '../../manifests/addons/velero';
import { requiredSecrets, type RequiredSecret } from '../../manifests/secrets';
import { collect, labModel, render, type SpecDoc } from './helpers';

const withS3 = (d: SpecDoc) => { d.addons.backups = { s3: { endpoint: 'https://s3.lab.example.internal', bucket: 'lab-backups' } }; };

function releaseValues(objects: ReturnType<typeof render>['objects'], name: string): Record<string, any> {
  const app = objects.find(({ obj }) => obj.kind === 'Application' && obj.metadata.name === name)!.obj;
  return app.spec.source.helm.valuesObject;
}

/** Runs a Secret's generate commands in an empty folder; returns the files' contents by key. */
function generated(secret: RequiredSecret, only: (command: string) => boolean): Map<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'secrets-'));
  try {
    const out = new Map<string, string>();
    for (const f of secret.files.filter((x) => x.generate && only(x.generate))) {
      execFileSync('bash', ['-euo', 'pipefail', '-c', f.generate!], { cwd: dir });
      out.set(f.key, readFileSync(join(dir, f.file), 'utf8'));
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('GIVEN lab with Harbor and S3 backups', () => {
  const model = labModel(withS3);
  const { objects } = render(model);
  const secrets = requiredSecrets(model, true);
  const harbor = releaseValues(objects, 'harbor');
  const listed = secrets.find((s) => s.name === HARBOR_CREDENTIALS.name)!;

  it('WHEN Harbor is rendered THEN every chart credential points at the operator\'s Secret, none at a chart default', () => {
    const name = HARBOR_CREDENTIALS.name;
    expect(harbor.existingSecretSecretKey).toBe(name);
    expect([harbor.core.existingSecret, harbor.core.existingXsrfSecret, harbor.core.secretName]).toEqual([name, name, name]);
    expect(harbor.jobservice.existingSecret).toBe(name);
    expect([harbor.registry.existingSecret, harbor.registry.credentials.existingSecret]).toEqual([name, name]);
    expect(harbor.database.external.existingSecret).toBe(name);
    // No existingSecret for the internal database: the chart's Secret gets no password, the container ours.
    expect(harbor.database.internal.password).toBe('');
    expect(harbor.database.internal.extraEnvVars).toEqual([{ name: 'POSTGRES_PASSWORD', valueFrom: { secretKeyRef: { name, key: HARBOR_CREDENTIALS.keys.database } } }]);
    expect(JSON.stringify(harbor)).not.toMatch(/Harbor12345|not-a-secure-key|changeit|harbor_registry_password/);
  });

  it('THEN SECRETS.md lists exactly the keys the chart reads from it, each from a file', () => {
    const named = [harbor.core.existingXsrfSecretKey, harbor.jobservice.existingSecretKey, harbor.registry.existingSecretKey,
      ...collect(harbor, 'secretKeyRef').map((r) => (r as { key: string }).key)];
    const keys = listed.files.map((f) => f.key);
    expect(new Set(keys)).toEqual(new Set(Object.values(HARBOR_CREDENTIALS.keys)));
    for (const key of named) expect(keys).toContain(key);
    expect(listed.literals).toEqual([]);
  });

  it('WHEN its generate commands run THEN each value has the length the chart requires (16 or 32 characters)', () => {
    // The RSA token key is not generated here (tens of seconds on a loaded CI core): its command is checked as text.
    const values = generated(listed, (c) => c.startsWith('openssl rand'));
    const k = HARBOR_CREDENTIALS.keys;
    for (const key of [k.secretKey, k.core, k.jobservice, k.registryHttp]) expect([key, values.get(key)!.length]).toEqual([key, 16]);
    expect(values.get(k.xsrf)!.length).toBe(32);
    for (const key of [k.registryPassword, k.database]) expect(values.get(key)).toMatch(/^[0-9a-f]{48}$/);
    expect(listed.files.find((f) => f.key === k.tokenKey)!.generate).toMatch(/^openssl req -x509 -newkey rsa:4096 -nodes .* -keyout harbor-token\.key -out harbor-token\.crt /);
    // The htpasswd line (bcrypt: distribution's htpasswd accepts nothing else) reads the password from stdin.
    const htpasswd = listed.files.find((f) => f.key === k.registryHtpasswd)!;
    expect(htpasswd.generate).toBe(`htpasswd -niB ${HARBOR_CREDENTIALS.registryUser} < harbor-registry-password | tr -d '\\n' > harbor-registry-htpasswd`);
    expect(harbor.registry.credentials.username).toBe(HARBOR_CREDENTIALS.registryUser);
  });

  it('WHEN Velero is rendered THEN its server mounts the operator\'s repository password Secret (not optional), so it never creates its built-in one', () => {
    const velero = releaseValues(objects, 'velero');
    const volume = (velero.extraVolumes as { name: string; secret: { secretName: string; optional: boolean } }[])
      .find((v) => v.secret.secretName === VELERO_REPO_SECRET.name)!;
    expect(volume.secret.optional).toBe(false);
    expect(velero.extraVolumeMounts).toContainEqual(expect.objectContaining({ name: volume.name, readOnly: true }));
    const repo = secrets.find((s) => s.name === VELERO_REPO_SECRET.name)!;
    expect(repo.files.map((f) => f.key)).toEqual([VELERO_REPO_SECRET.key]);
    expect(Buffer.from(generated(repo, () => true).get(VELERO_REPO_SECRET.key)!, 'base64').length).toBe(32);
  });

  it('THEN SECRETS.md tells how to lock the snapshot bucket and that Velero\'s backups hold Secrets in clear', () => {
    const md = render(model).secretsMd;
    expect(md).toMatch(/object lock/i);
    expect(md).toContain('s3:PutObject on `lab-backups/etcd/lab/*` only');
    expect(md).toMatch(/every backed-up Secret in clear/);
  });
});
