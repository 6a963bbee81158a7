/**
 * SOPS-encrypted Secrets in apps/<cluster>/ (addons.gitops.sops): only Flux's Kustomization `apps`
 * decrypts, with the operator's age key Secret that SECRETS.md lists; dist/<cluster>/.sops.yaml
 * encrypts for the spec's public keys. Argo CD clusters get the documented alternative instead.
 */
import { readFileSync } from 'node:fs';
import * as yaml from 'js-yaml';
import { formatIssue, loadSpecText } from '../../spec';
import { nodeFiles, renderGitopsRoot } from '../../cloud-init';
import { FAKE_SECRETS } from '../cloud-init/helpers';
import { renderManifestFiles } from '../../manifests';
import { labModel, render, type K8sObject, type SpecDoc } from './helpers';
import { manifestFacts } from '../../manifests/pod-security';

/** Public keys of throwaway age keys (their private halves were never stored). */
const CLUSTER_KEY = 'age1u9dfdgma289g2fuxj34akw5vw3e404qwx2tthdrev2xw9q6nyc9st60fzn';
const PERSON_KEY = 'age15snf42gp8w37gndcsr4k0kqt83ehq6wjj6lmttyrppk78p9r4paqygj7uz';

const fluxSops = (sops: Record<string, unknown>) => (d: SpecDoc) => {
  d.addons.gitops = { ...d.addons.gitops, engine: 'flux', sops };
};
const kustomizations = (objects: { obj: K8sObject }[]) =>
  objects.map((o) => o.obj).filter((o) => o.kind === 'Kustomization' && o.apiVersion.startsWith('kustomize.toolkit.fluxcd.io/'));

describe('GIVEN Flux with addons.gitops.sops', () => {
  const model = labModel(fluxSops({ ageRecipients: [CLUSTER_KEY, PERSON_KEY] }));
  const out = render(model);

  it('WHEN rendered THEN the Kustomization of apps/lab/ decrypts with the default Secret sops-age, and no other Kustomization decrypts', () => {
    const ks = kustomizations(out.objects);
    expect(ks.find((k) => k.metadata.name === 'apps')!.spec.decryption).toEqual({ provider: 'sops', secretRef: { name: 'sops-age' } });
    // The root and the platform's folders hold no secret: a missing key must not stop them.
    const others = ks.filter((k) => k.metadata.name !== 'apps');
    expect(others.length).toBeGreaterThan(3);
    for (const k of others) expect(k.spec.decryption).toBeUndefined();
    expect(renderGitopsRoot(model)).not.toContain('decryption');
  });

  it('THEN dist/lab/.sops.yaml has one creation rule for the YAML files of apps/lab/, encrypting data and stringData for every recipient', () => {
    const file = renderManifestFiles(model).find((f) => f.path === '.sops.yaml')!;
    const rules = (yaml.load(file.content) as { creation_rules: { path_regex: string; encrypted_regex: string; age: string }[] }).creation_rules;
    expect(rules).toHaveLength(1);
    const [rule] = rules;
    expect(rule!.age.split(',')).toEqual([CLUSTER_KEY, PERSON_KEY]);
    expect(rule!.encrypted_regex).toBe('^(data|stringData)$');
    const path = new RegExp(rule!.path_regex);
    for (const p of ['apps/lab/db.secret.yaml', '/home/me/clusters/apps/lab/team/x.yml']) expect(path.test(p)).toBe(true);
    for (const p of ['apps/lab2/x.yaml', 'apps/labx/x.yaml', 'dist/lab/manifests/x.yaml', 'apps/lab/README.md']) expect(path.test(p)).toBe(false);
  });

  it('THEN SECRETS.md lists the age key Secret from a file and shows sops instead of kubectl create for the users\' Secrets', () => {
    expect(out.secretsMd).toContain('| flux-system | sops-age | age.agekey |');
    expect(out.secretsMd).toContain('kubectl -n flux-system create secret generic sops-age \\\n  --from-file=age.agekey=./age.agekey');
    expect(out.secretsMd).toContain('SOPS_CONFIG=dist/lab/.sops.yaml sops --encrypt --filename-override apps/lab/my-app-db.secret.yaml /dev/stdin');
    expect(out.secretsMd).not.toMatch(/AGE-SECRET-KEY-1/);
  });

  it('WHEN secretName is set THEN the Kustomization and SECRETS.md use that name', () => {
    const named = render(labModel(fluxSops({ ageRecipients: [CLUSTER_KEY], secretName: 'cluster-age' })));
    expect(kustomizations(named.objects).find((k) => k.metadata.name === 'apps')!.spec.decryption.secretRef).toEqual({ name: 'cluster-age' });
    expect(named.secretsMd).toContain('create secret generic cluster-age');
  });
});

describe('GIVEN no addons.gitops.sops', () => {
  it.each(['flux', 'argocd'])('WHEN the engine is %s THEN nothing decrypts and no .sops.yaml is written', (engine) => {
    const model = labModel((d) => { d.addons.gitops.engine = engine; });
    expect(renderManifestFiles(model).map((f) => f.path)).not.toContain('.sops.yaml');
    expect(render(model).objects.some((o) => o.obj.spec?.decryption)).toBe(false);
  });

  it('WHEN the engine is Argo CD THEN SECRETS.md gives the honest alternatives: kubectl, External Secrets, or Flux for SOPS', () => {
    const md = render(labModel()).secretsMd;
    expect(md).toContain('Argo CD has no native SOPS decryption');
    expect(md).toContain('External Secrets');
    expect(md).toContain('`addons.gitops.engine: flux` with `addons.gitops.sops`');
  });
});

describe('GIVEN addons.gitops.sops with engine none', () => {
  it('WHEN loaded THEN it warns that nothing decrypts, and synth writes neither .sops.yaml nor the key Secret', () => {
    const doc = yaml.load(readFileSync('clusters/lab.yaml', 'utf8')) as SpecDoc;
    doc.addons.gitops = { ...doc.addons.gitops, engine: 'none', sops: { ageRecipients: [CLUSTER_KEY] } };
    const { model, warnings } = loadSpecText(yaml.dump(doc), 'lab.yaml');
    expect(warnings.map((w) => formatIssue('lab.yaml', w))).toContainEqual(expect.stringContaining('lab.yaml: addons.gitops.sops: engine "none": nothing decrypts'));
    expect(model.gitops.sops).toBeUndefined();
    expect(renderManifestFiles(model).map((f) => f.path)).not.toContain('.sops.yaml');
  });
});

describe('GIVEN a running Flux cluster (day 2)', () => {
  it('WHEN addons.gitops.sops is added THEN no node file changes (nothing reaches Terraform): only dist/ does', () => {
    const before = labModel((d) => { d.addons.gitops.engine = 'flux'; });
    const after = labModel(fluxSops({ ageRecipients: [CLUSTER_KEY] }));
    for (const [i, node] of before.nodes.entries()) {
      expect(nodeFiles(after, after.nodes[i]!, FAKE_SECRETS, manifestFacts(after))).toEqual(nodeFiles(before, node, FAKE_SECRETS, manifestFacts(before)));
    }
    const paths = (m: typeof before) => renderManifestFiles(m).filter((f) => f.path !== 'SECRETS.md' && f.path !== '.sops.yaml');
    const changed = paths(after).filter((f, i) => f.content !== paths(before)[i]!.content).map((f) => f.path);
    expect(changed).toEqual(['manifests/gitops/Kustomization.flux-system.apps.yaml']);
  });
});
