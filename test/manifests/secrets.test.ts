/**
 * SECRETS.md lists every Secret the rendered add-ons and GitOps root read and nothing creates,
 * with commands that take every secret value from a file.
 */
import { execFileSync } from 'node:child_process';
import { requiredSecrets, secretCommands, type RequiredSecret } from '../../manifests/secrets';
import { collect, labModel, render, type K8sObject, type SpecDoc } from './helpers';

const KEY = 'AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';
const s3 = (d: SpecDoc) => { d.addons.backups = { s3: { endpoint: 'https://s3.lab.example.internal', bucket: 'lab-backups' } }; };
const VARIANTS: [string, (d: SpecDoc) => void][] = [
  ['lab as written', () => {}],
  ['lab with Flux and an SSH deploy key', (d) => {
    s3(d);
    d.addons.gitops = { engine: 'flux', repoUrl: 'ssh://git@git.lab.example.internal:2222/platform/clusters.git', credentials: { secretName: 'git-deploy-key', type: 'ssh', knownHosts: `[git.lab.example.internal]:2222 ssh-ed25519 ${KEY}` } };
  }],
  ['lab with Argo CD and an HTTPS token', (d) => { s3(d); d.addons.gitops.credentials = { secretName: 'git-token', type: 'https' }; }],
  ['lab with Flux, a private repository and SOPS', (d) => {
    d.addons.gitops = { ...d.addons.gitops, engine: 'flux', credentials: { secretName: 'git-token', type: 'https' }, sops: { ageRecipients: ['age1u9dfdgma289g2fuxj34akw5vw3e404qwx2tthdrev2xw9q6nyc9st60fzn'] } };
  }],
  ['lab without monitoring, Harbor and S3', (d) => { d.addons.monitoring = { enabled: false }; d.addons.harbor = { enabled: false }; delete d.addons.backups; }],
];

function rendered(edit: (d: SpecDoc) => void) {
  const model = labModel(edit);
  const out = render(model);
  const veleroRendered = out.objects.some((o) => o.file.startsWith('velero/'));
  return { model, out, secrets: requiredSecrets(model, veleroRendered) };
}

/** Secret names an object reads through the fields the add-ons use for operator-made Secrets. */
function secretReferences(obj: K8sObject): string[] {
  const refs = [
    ...collect(obj, 'existingSecret'), ...collect(obj, 'existingSecretAdminPassword'),
    ...collect(obj, 'existingSecretSecretKey'), ...collect(obj, 'existingXsrfSecret'),
    // Harbor's core.secretName (the token service key); Velero's extraVolumes (its repository password).
    ...(obj.kind === 'Application' || obj.kind === 'HelmRelease' ? collect(obj, 'core').map((c) => (c as { secretName?: string }).secretName) : []),
    ...collect(obj, 'extraVolumes').flatMap((v) => (v as { secret?: { secretName: string } }[]).map((x) => x.secret?.secretName)),
    ...collect(obj, 'secretKeyRef').map((r) => (r as { name: string }).name),
    ...(obj.kind === 'BackupStorageLocation' ? collect(obj.spec, 'credential').map((r) => (r as { name: string }).name) : []),
    ...(obj.kind === 'GitRepository' && obj.spec.secretRef ? [obj.spec.secretRef.name as string] : []),
    ...(obj.kind === 'Kustomization' && obj.spec.decryption?.secretRef ? [obj.spec.decryption.secretRef.name as string] : []),
  ];
  return refs.filter((r): r is string => typeof r === 'string');
}

/** Where the object's references resolve: an Application's Helm release namespace, else the object's own. */
function referenceNamespace(obj: K8sObject): string | undefined {
  return obj.kind === 'Application' ? obj.spec.destination.namespace : obj.spec?.targetNamespace ?? obj.metadata.namespace;
}

describe.each(VARIANTS)('GIVEN %s', (_name, edit) => {
  const { model, out, secrets } = rendered(edit);
  const listed = new Set(secrets.map((s) => `${s.namespace}/${s.name}`));

  it('WHEN SECRETS.md is rendered THEN every operator-made Secret a manifest references is listed, in the namespace that reads it', () => {
    const referenced = out.objects.flatMap(({ obj }) => secretReferences(obj).map((name) => `${referenceNamespace(obj)}/${name}`));
    for (const ref of referenced) expect(listed).toContain(ref);
    // The check sees references at all (grafana-admin, harbor-admin, the S3 Secrets, Flux's secretRef).
    expect(referenced.length > 0).toBe(secrets.some((s) => !(s.name === model.gitops.root?.credentials?.secretName && model.gitops.engine === 'argocd')));
  });

  it('THEN every listed Secret is read by something rendered (no stale entry), the repository\'s by the root', () => {
    for (const s of secrets) {
      const readers = out.objects.filter(({ obj }) => referenceNamespace(obj) === s.namespace && JSON.stringify(obj).includes(`"${s.name}"`));
      const repo = model.gitops.root?.credentials?.secretName === s.name;
      if (repo && model.gitops.engine === 'argocd') {
        // Argo CD matches the repository Secret by its label and url: the url is the root's repoURL.
        const root = out.objects.find(({ obj }) => obj.kind === 'Application' && obj.metadata.name === 'root')!.obj;
        expect(s.literals).toContainEqual(['url', root.spec.source.repoURL]);
        expect(s.labels).toEqual({ 'argocd.argoproj.io/secret-type': 'repository' });
      } else {
        expect(readers.length).toBeGreaterThan(0);
      }
    }
    if (model.gitops.root?.credentials) expect(secrets.at(-1)!.name).toBe(model.gitops.root.credentials.secretName);
  });

  it('THEN no secret value is ever a --from-literal: literals are only user names, types and URLs', () => {
    const text = out.secretsMd;
    const literalKeys = [...text.matchAll(/--from-literal=([^=]+)=/g)].map((m) => m[1]);
    for (const key of literalKeys) expect(['admin-user', 'type', 'url']).toContain(key);
    for (const s of secrets) for (const f of s.files) expect(text).toContain(`--from-file=${f.key}=./${f.file}`);
  });

  it('THEN every shell block of SECRETS.md is valid bash (bash -n)', () => {
    const blocks = [...out.secretsMd.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
    // One block per Secret, the private folder's two, and the SOPS example (addons.gitops.sops).
    expect(blocks.length).toBe((secrets.length === 0 ? 0 : secrets.length + 2) + (model.gitops.sops ? 1 : 0));
    for (const block of blocks) execFileSync('bash', ['-n'], { input: block });
  });
});

describe('GIVEN a Secret\'s commands', () => {
  it('WHEN they run THEN the namespace is created only when missing, before the Secret, and labels come after it', () => {
    const s: RequiredSecret = { namespace: 'argocd', name: 'git-token', usedBy: 'x', files: [{ key: 'password', file: 'git-token', holds: 'x' }], literals: [['url', 'https://git.example.internal/a.git']], labels: { 'argocd.argoproj.io/secret-type': 'repository' } };
    expect(secretCommands(s)).toEqual([
      'kubectl get namespace argocd >/dev/null 2>&1 || kubectl create namespace argocd',
      '# write ./git-token: x',
      'kubectl -n argocd create secret generic git-token \\',
      '  --from-literal=url=https://git.example.internal/a.git \\',
      '  --from-file=password=./git-token',
      "kubectl -n argocd label secret git-token 'argocd.argoproj.io/secret-type=repository'",
    ]);
  });
});
