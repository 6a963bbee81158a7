/**
 * The users' folder apps/<cluster>/: the GitOps root in dist/ carries one object that syncs it from
 * the root's own repository and revision, for both engines; without a root nothing points at it.
 */
import { ARGOCD_APPS_PROJECT, ARGOCD_PROJECT } from '../../manifests/gitops/argocd';
import { APPS_NAME, APPS_WAVE } from '../../manifests/gitops/user-apps';
import { SYNC_WAVE } from '../../manifests/labels';
import { labModel, render, type SpecDoc } from './helpers';

const SHA = '0123456789abcdef0123456789abcdef01234567';

function gitopsObjects(edit: (doc: SpecDoc) => void = () => {}) {
  const out = render(labModel(edit));
  return { ...out, gitops: out.objects.filter((o) => o.file.startsWith('gitops/')).map((o) => o.obj) };
}

describe('GIVEN a cluster with a GitOps repository', () => {
  it('WHEN Argo CD syncs it THEN an Application in dist/ syncs apps/<cluster>/ from the root\'s repository and revision, after every platform wave', () => {
    const { gitops, objects } = gitopsObjects((d) => { d.addons.gitops.revision = SHA; });
    const root = gitops.find((o) => o.kind === 'Application' && o.metadata.name === 'root')!;
    const apps = gitops.find((o) => o.kind === 'Application' && o.metadata.name === APPS_NAME)!;
    expect(apps.spec.source).toEqual({ repoURL: root.spec.source.repoURL, targetRevision: SHA, path: 'apps/lab', directory: { recurse: true } });
    // Its own project, not the root's: the users' folder gets no platform namespace (test/manifests/gitops-trust.test.ts).
    expect(apps.spec.project).toBe(ARGOCD_APPS_PROJECT);
    expect(root.spec.project).toBe(ARGOCD_PROJECT);
    expect(apps.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    // No resources finalizer: deleting the Application leaves the users' objects.
    expect(apps.metadata.finalizers).toBeUndefined();
    // The root syncs dist/lab/manifests recursively, so this file is part of what it applies.
    expect(root.spec.source.path).toBe('dist/lab/manifests');
    const waves = objects.map((o) => Number(o.obj.metadata.annotations?.[SYNC_WAVE] ?? 0)).filter((w) => w !== APPS_WAVE);
    expect(Number(apps.metadata.annotations![SYNC_WAVE])).toBeGreaterThan(Math.max(...waves));
  });

  it('WHEN Flux syncs it THEN a Kustomization listed in the root\'s kustomization.yaml syncs ./apps/<cluster> from the root source and waits for no add-on', () => {
    const { gitops, manifests } = gitopsObjects((d) => { d.addons.gitops.engine = 'flux'; });
    const root = gitops.find((o) => o.kind === 'Kustomization' && o.metadata.name === 'root')!;
    const apps = gitops.find((o) => o.kind === 'Kustomization' && o.metadata.name === APPS_NAME)!;
    expect(apps.spec.path).toBe('./apps/lab');
    expect(apps.spec.sourceRef).toEqual(root.spec.sourceRef);
    expect(apps.spec.prune).toBe(true);
    expect(apps.spec.dependsOn ?? []).toEqual([]);
    expect(manifests.get('kustomization.yaml')).toContain('  - gitops/Kustomization.flux-system.apps.yaml\n');
  });
});

describe('GIVEN a cluster without a GitOps repository (no root)', () => {
  it.each(['argocd', 'flux'])('WHEN the engine is %s THEN nothing in dist/ points at apps/<cluster>/', (engine) => {
    const { objects } = gitopsObjects((d) => { d.addons.gitops = { engine }; });
    expect(objects.some((o) => o.obj.metadata.name === APPS_NAME && o.file.startsWith('gitops/'))).toBe(false);
    expect(JSON.stringify(objects.map((o) => o.obj))).not.toContain('apps/lab');
  });
});
