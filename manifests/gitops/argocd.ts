/** Argo CD rendering of the neutral release model: one Application per release, app of apps. */
import type { Chart } from 'cdk8s';
import { Application, AppProject } from '../../imports/argoproj.io';
import { GITOPS_BOOTSTRAP } from '../../facts';
import { SYNC_WAVE } from '../labels';
import type { Platform } from '../platform';
import type { GitManifests, Release } from '../release';
import { APPS_NAME, APPS_WAVE } from './user-apps';

const IN_CLUSTER = 'https://kubernetes.default.svc';
export const ARGOCD_NAMESPACE = GITOPS_BOOTSTRAP.argocd.namespace;
export const ARGOCD_PROJECT = 'platform';

/** Argo CD addresses Helm OCI repositories without the scheme (plus a repository with enableOCI). */
export function argoRepoUrl(release: Release): string {
  return release.isOci ? release.chart.repo.replace(/^oci:\/\//, '') : release.chart.repo;
}

/** Automated sync with self-heal, server-side apply (CRDs exceed the client-side annotation limit), retries. */
function syncPolicy(options: { readonly prune: boolean }) {
  return {
    automated: { prune: options.prune, selfHeal: true },
    syncOptions: ['ServerSideApply=true', 'ServerSideDiff=true'],
    retry: { limit: 10, backoff: { duration: '10s', factor: 2, maxDuration: '5m' } },
  };
}

/** The Application of one release: helm source with the exact chart version and its values. */
export function renderArgoApplication(scope: Chart, release: Release): Application {
  return new Application(scope, `app-${release.name}`, {
    metadata: {
      name: release.name,
      namespace: ARGOCD_NAMESPACE,
      annotations: { [SYNC_WAVE]: String(release.wave) },
      finalizers: ['resources-finalizer.argocd.argoproj.io'],
    },
    spec: {
      project: ARGOCD_PROJECT,
      source: {
        repoUrl: argoRepoUrl(release),
        chart: release.chart.chart,
        targetRevision: release.chart.version,
        helm: { releaseName: release.name, valuesObject: release.values },
      },
      destination: { server: IN_CLUSTER, namespace: release.namespace },
      syncPolicy: syncPolicy({ prune: true }),
    },
  });
}

/** The Application of plain manifests from a Git folder at a pinned tag (CRDs: never pruned). */
export function renderArgoGitApplication(scope: Chart, manifests: GitManifests): Application {
  return new Application(scope, `app-${manifests.name}`, {
    metadata: {
      name: manifests.name,
      namespace: ARGOCD_NAMESPACE,
      // No resources finalizer and no pruning: deleting CRDs would delete every custom resource.
      annotations: { [SYNC_WAVE]: String(manifests.wave) },
    },
    spec: {
      project: ARGOCD_PROJECT,
      source: { repoUrl: manifests.repo, path: manifests.path, targetRevision: manifests.revision.name },
      destination: { server: IN_CLUSTER },
      syncPolicy: syncPolicy({ prune: false }),
    },
  });
}

/**
 * The project every platform Application belongs to, the root Application (app of apps) syncing
 * dist/<cluster>/manifests (it adopts the root the bootstrap created), and the Application syncing
 * the users' folder apps/<cluster>/ of the same repository and revision.
 */
export function renderArgoRoot(scope: Chart, platform: Platform): void {
  const { model } = platform;
  const { root } = model.gitops;
  const repos = [...new Set([...platform.releases.map((r) => argoRepoUrl(r.release)), ...platform.gitManifests.map((g) => g.manifests.repo)])].sort();
  new AppProject(scope, 'project', {
    metadata: { name: ARGOCD_PROJECT, namespace: ARGOCD_NAMESPACE, annotations: { [SYNC_WAVE]: '-20' } },
    spec: {
      description: `Platform add-ons of cluster ${model.name}`,
      sourceRepos: root ? [root.repoUrl, ...repos] : repos,
      destinations: [{ server: IN_CLUSTER, namespace: '*' }],
      clusterResourceWhitelist: [{ group: '*', kind: '*' }],
    },
  });
  if (!root) return; // no repository in the spec: nothing to point the root at
  new Application(scope, 'root', {
    metadata: { name: GITOPS_BOOTSTRAP.argocd.rootApplication, namespace: ARGOCD_NAMESPACE, annotations: { [SYNC_WAVE]: '-20' } },
    spec: {
      project: ARGOCD_PROJECT,
      source: { repoUrl: root.repoUrl, targetRevision: root.revision.name, path: model.gitops.path, directory: { recurse: true } },
      destination: { server: IN_CLUSTER, namespace: ARGOCD_NAMESPACE },
      syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['ServerSideApply=true'] },
    },
  });
  // The users' folder: plain manifests (and their own Applications) in any sub-folder. No
  // resources finalizer: deleting this Application leaves what it created. Objects without a
  // namespace land in "default", as with kubectl apply.
  new Application(scope, 'apps', {
    metadata: { name: APPS_NAME, namespace: ARGOCD_NAMESPACE, annotations: { [SYNC_WAVE]: String(APPS_WAVE) } },
    spec: {
      project: ARGOCD_PROJECT,
      source: { repoUrl: root.repoUrl, targetRevision: root.revision.name, path: model.gitops.appsPath, directory: { recurse: true } },
      destination: { server: IN_CLUSTER, namespace: 'default' },
      syncPolicy: syncPolicy({ prune: true }),
    },
  });
}
