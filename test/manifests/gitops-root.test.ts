/**
 * The GitOps root is rendered twice: by the node bootstrap (cloud-init/addons.ts) and in dist/
 * (manifests/gitops/*), which adopts it. Both must point at the same repository, path and ref.
 */
import * as yaml from 'js-yaml';
import { renderGitopsRoot } from '../../cloud-init';
import { parseGitRevision } from '../../spec';
import { errorOf, labDoc, load } from '../spec/helpers';
import { labModel, render, type K8sObject, type SpecDoc } from './helpers';

const SHA = '0123456789abcdef0123456789abcdef01234567';

function roots(edit: (doc: SpecDoc) => void): { bootstrap: K8sObject[]; dist: K8sObject[] } {
  const model = labModel(edit);
  const bootstrap = yaml.loadAll(renderGitopsRoot(model)!) as K8sObject[];
  const dist = render(model).objects.map((o) => o.obj).filter((o) => o.metadata.name === 'root');
  return { bootstrap, dist };
}

const kind = (objects: readonly K8sObject[], k: string) => objects.find((o) => o.kind === k)!;

describe('GIVEN addons.gitops.revision', () => {
  it.each([
    ['main', { branch: 'main' }],
    [SHA, { commit: SHA }],
    ['refs/tags/v1.2.0', { tag: 'v1.2.0' }],
    ['refs/heads/release/1.x', { branch: 'release/1.x' }],
  ])('WHEN Flux syncs revision %s THEN the bootstrap root and the root in dist/ both get ref %j', (revision, ref) => {
    const { bootstrap, dist } = roots((d) => { d.addons.gitops = { ...d.addons.gitops, engine: 'flux', revision }; });
    expect(kind(bootstrap, 'GitRepository').spec.ref).toEqual(ref);
    expect(kind(dist, 'GitRepository').spec.ref).toEqual(ref);
    expect(kind(dist, 'GitRepository').spec).toEqual(kind(bootstrap, 'GitRepository').spec);
    expect(kind(dist, 'Kustomization').spec.path).toBe(kind(bootstrap, 'Kustomization').spec.path);
  });

  it.each([
    ['main', 'main'],
    [SHA, SHA],
    ['refs/tags/v1.2.0', 'v1.2.0'],
  ])('WHEN Argo CD syncs revision %s THEN both root Applications target %s', (revision, target) => {
    const { bootstrap, dist } = roots((d) => { d.addons.gitops = { ...d.addons.gitops, revision }; });
    const [boot, root] = [kind(bootstrap, 'Application').spec.source, kind(dist, 'Application').spec.source];
    expect(boot.targetRevision).toBe(target);
    expect(root.targetRevision).toBe(target);
    expect(root).toEqual(boot);
  });

  it('WHEN it is a refs/ form other than refs/heads/ or refs/tags/ THEN the loader refuses it with the field', () => {
    const doc = labDoc();
    doc.addons.gitops.revision = 'refs/pull/42/head';
    expect(errorOf(() => load(doc))).toContain('addons.gitops.revision: a full ref is refs/heads/<branch> or refs/tags/<tag> (received "refs/pull/42/head")');
  });

  it('WHEN it is parsed THEN only a full 40-digit lowercase SHA is a commit', () => {
    expect(parseGitRevision(SHA).kind).toBe('commit');
    expect(parseGitRevision(SHA.slice(0, 7))).toEqual({ kind: 'branch', name: SHA.slice(0, 7) });
    expect(parseGitRevision(SHA.toUpperCase()).kind).toBe('branch');
  });
});
