/** Argo CD rendering of the neutral release model: one Application per release, app of apps. */
import type { Chart } from 'cdk8s';
import { Application, AppProject } from '../../imports/argoproj.io';
import { GITOPS_BOOTSTRAP } from '../../facts';
import { SYNC_WAVE } from '../labels';
import type { Platform } from '../platform';
import type { GitManifests, Release } from '../release';
import { appsDeniedNamespaces, platformScope } from './projects';
import { APPS_NAME, APPS_WAVE } from './user-apps';

const IN_CLUSTER = 'https://kubernetes.default.svc';
export const ARGOCD_NAMESPACE = GITOPS_BOOTSTRAP.argocd.namespace;
export const ARGOCD_PROJECT = 'platform';
/** The project of the users' folder apps/<cluster>/: no platform namespace, no cluster-scoped object. */
export const ARGOCD_APPS_PROJECT = 'apps';

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
 * The project every platform Application belongs to (destinations and cluster-scoped kinds derived
 * from `charts` and the releases: gitops/projects.ts), the root Application (app of apps) syncing
 * dist/<cluster>/manifests (it adopts the root the bootstrap created), and the Application syncing
 * the users' folder apps/<cluster>/ of the same repository and revision in the `apps` project.
 */
export function renderArgoRoot(scope: Chart, platform: Platform, charts: readonly Chart[]): void {
  const { model } = platform;
  const { root } = model.gitops;
  const repos = [...new Set([...platform.releases.map((r) => argoRepoUrl(r.release)), ...platform.gitManifests.map((g) => g.manifests.repo)])].sort();
  // The Applications and projects this chart adds live in the Argo CD namespace.
  const platformNs = platformScope(platform, [...charts, scope]);
  const namespaces = [...new Set([...platformNs.namespaces, ARGOCD_NAMESPACE])].sort();
  // addons.gitops.commitSigning: both projects sync only commits signed by these keys.
  const signing = model.gitops.commitSigning;
  const signatureKeys = signing ? { signatureKeys: signing.keyIds.map((keyId) => ({ keyId })) } : {};
  new AppProject(scope, 'project', {
    metadata: { name: ARGOCD_PROJECT, namespace: ARGOCD_NAMESPACE, annotations: { [SYNC_WAVE]: '-20' } },
    spec: {
      description: `Platform add-ons of cluster ${model.name}`,
      sourceRepos: root ? [root.repoUrl, ...repos] : repos,
      destinations: namespaces.map((namespace) => ({ server: IN_CLUSTER, namespace })),
      clusterResourceWhitelist: platformNs.clusterKinds.map((k) => ({ group: k.group, kind: k.kind })),
      ...signatureKeys,
    },
  });
  if (!root) return; // no repository in the spec: nothing to point the root at
  // Argo CD: a destination starting with "!" denies; any other entry allows. Cluster-scoped kinds:
  // only those of addons.gitops.appsClusterKinds (none by default).
  new AppProject(scope, 'apps-project', {
    metadata: { name: ARGOCD_APPS_PROJECT, namespace: ARGOCD_NAMESPACE, annotations: { [SYNC_WAVE]: '-20' } },
    spec: {
      description: `The users' folder ${model.gitops.appsPath} of cluster ${model.name}: no platform namespace, ${model.gitops.appsClusterKinds.length > 0 ? 'only the cluster-scoped kinds of addons.gitops.appsClusterKinds' : 'no cluster-scoped object'}`,
      sourceRepos: [root.repoUrl],
      destinations: [
        ...appsDeniedNamespaces(platform, { namespaces, clusterKinds: platformNs.clusterKinds }).map((ns) => ({ server: IN_CLUSTER, namespace: `!${ns}` })),
        { server: IN_CLUSTER, namespace: '*' },
      ],
      clusterResourceWhitelist: model.gitops.appsClusterKinds.map((k) => ({ group: k.group, kind: k.kind })),
      ...signatureKeys,
    },
  });
  new Application(scope, 'root', {
    metadata: { name: GITOPS_BOOTSTRAP.argocd.rootApplication, namespace: ARGOCD_NAMESPACE, annotations: { [SYNC_WAVE]: '-20' } },
    spec: {
      project: ARGOCD_PROJECT,
      source: { repoUrl: root.repoUrl, targetRevision: root.revision.name, path: model.gitops.path, directory: { recurse: true } },
      destination: { server: IN_CLUSTER, namespace: ARGOCD_NAMESPACE },
      syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['ServerSideApply=true'] },
    },
  });
  // The users' folder: plain manifests in any sub-folder, in the apps project (no Application of
  // its own there: the Argo CD namespace is the platform's). No resources finalizer: deleting this
  // Application leaves what it created. Objects without a namespace land in "default", as with
  // kubectl apply.
  new Application(scope, 'apps', {
    metadata: { name: APPS_NAME, namespace: ARGOCD_NAMESPACE, annotations: { [SYNC_WAVE]: String(APPS_WAVE) } },
    spec: {
      project: ARGOCD_APPS_PROJECT,
      source: { repoUrl: root.repoUrl, targetRevision: root.revision.name, path: model.gitops.appsPath, directory: { recurse: true } },
      destination: { server: IN_CLUSTER, namespace: 'default' },
      syncPolicy: syncPolicy({ prune: true }),
    },
  });
}
