/**
 * Flux rendering of the neutral release model: HelmRepository or OCIRepository + HelmRelease per
 * release (dependsOn from the model), and one Kustomization per manifests/ folder.
 */
import type { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-30';
import {
  HelmRelease,
  HelmReleaseSpecChartRefKind,
  HelmReleaseSpecChartSpecSourceRefKind,
  HelmReleaseSpecInstallCrds,
  HelmReleaseSpecUpgradeCrds,
} from '../../imports/helm.toolkit.fluxcd.io';
import { Kustomization, KustomizationSpecDecryptionProvider, KustomizationSpecSourceRefKind } from '../../imports/kustomize.toolkit.fluxcd.io';
import { GitRepository, type GitRepositorySpecVerifyMode, HelmRepository, OciRepository, OciRepositorySpecLayerSelectorOperation } from '../../imports/source.toolkit.fluxcd.io';
import { fluxRootSourceSpec, GITOPS_BOOTSTRAP } from '../../facts';
import { fluxGitRef } from '../../spec';
import type { Platform } from '../platform';
import type { GitManifests, Release } from '../release';
import { fluxAppsDecryption } from '../sops';
import { APPS_NAME } from './user-apps';

export const FLUX_NAMESPACE = GITOPS_BOOTSTRAP.flux.namespace;
/** The ServiceAccount the apps Kustomization impersonates (never the controller's cluster-admin). */
export const FLUX_APPS_SERVICE_ACCOUNT = 'apps-reconciler';

/**
 * Namespaces the users' folder may write into with Flux: "default" and every tenant namespace,
 * each through a RoleBinding to the built-in `admin` ClusterRole (namespaced rights only: no
 * platform namespace). The tenants' RoleBindings live with the tenant namespaces (tenants chart),
 * so they are applied once their namespace exists.
 */
export function fluxAppsNamespaces(platform: Platform): readonly string[] {
  return ['default', ...platform.model.tenants.map((t) => t.name)];
}

/** The RoleBinding granting the apps ServiceAccount `admin` in one namespace. */
export function renderFluxAppsRoleBinding(scope: Construct, id: string, namespace: string): void {
  new k8s.KubeRoleBinding(scope, id, {
    metadata: { name: `flux-${FLUX_APPS_SERVICE_ACCOUNT}`, namespace },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' },
    subjects: [{ kind: 'ServiceAccount', name: FLUX_APPS_SERVICE_ACCOUNT, namespace: FLUX_NAMESPACE }],
  });
}

function renderFluxAppsIdentity(scope: Chart, platform: Platform): void {
  new k8s.KubeServiceAccount(scope, 'apps-sa', { metadata: { name: FLUX_APPS_SERVICE_ACCOUNT, namespace: FLUX_NAMESPACE } });
  const subjects = [{ kind: 'ServiceAccount', name: FLUX_APPS_SERVICE_ACCOUNT, namespace: FLUX_NAMESPACE }];
  const kinds = platform.model.gitops.appsClusterKinds;
  if (kinds.length > 0) {
    // addons.gitops.appsClusterKinds: exactly these cluster-scoped resources, nothing else cluster-wide.
    const name = `flux-${FLUX_APPS_SERVICE_ACCOUNT}-cluster-kinds`;
    const groups = [...new Set(kinds.map((k) => k.group))];
    new k8s.KubeClusterRole(scope, 'apps-cluster-kinds', {
      metadata: { name },
      rules: groups.map((group) => ({ apiGroups: [group], resources: kinds.filter((k) => k.group === group).map((k) => k.resource), verbs: ['*'] })),
    });
    new k8s.KubeClusterRoleBinding(scope, 'apps-cluster-kinds-binding', {
      metadata: { name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects,
    });
  }
  renderFluxAppsRoleBinding(scope, 'apps-admin-default', 'default');
}

/** The chart source and HelmRelease of one release, in the release's namespace. */
export function renderFluxRelease(scope: Chart, release: Release, platform: Platform): HelmRelease {
  const { name, namespace, chart } = release;
  const chartSource = release.isOci
    ? (new OciRepository(scope, `source-${name}`, {
      metadata: { name, namespace },
      spec: {
        interval: '1h',
        url: `${chart.repo}/${chart.chart}`,
        ref: { tag: chart.version },
        layerSelector: { mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip', operation: OciRepositorySpecLayerSelectorOperation.COPY },
      },
    }), undefined)
    : (new HelmRepository(scope, `source-${name}`, { metadata: { name, namespace }, spec: { interval: '1h', url: chart.repo } }),
    { chart: chart.chart, version: chart.version, sourceRef: { kind: HelmReleaseSpecChartSpecSourceRefKind.HELM_REPOSITORY, name } });
  return new HelmRelease(scope, `release-${name}`, {
    metadata: { name, namespace },
    spec: {
      interval: '30m',
      releaseName: name,
      ...(chartSource ? { chart: { spec: chartSource } } : { chartRef: { kind: HelmReleaseSpecChartRefKind.OCI_REPOSITORY, name } }),
      install: { crds: HelmReleaseSpecInstallCrds.CREATE_REPLACE, remediation: { retries: 3 } },
      upgrade: { crds: HelmReleaseSpecUpgradeCrds.CREATE_REPLACE, remediation: { retries: 3 } },
      dependsOn: release.dependsOn.map((dep) => ({ name: dep, namespace: platform.release(dep)!.namespace })),
      values: release.values,
    },
  });
}

/**
 * Plain manifests from a Git folder at a pinned tag: a GitRepository and a Kustomization (in the
 * Flux namespace; the folder's own Kustomization waits for it to be ready).
 */
export function renderFluxGitManifests(scope: Chart, manifests: GitManifests): Kustomization {
  const { name } = manifests;
  new GitRepository(scope, `source-${name}`, {
    metadata: { name, namespace: FLUX_NAMESPACE },
    spec: {
      interval: '1h',
      url: manifests.repo,
      ref: fluxGitRef(manifests.revision),
      ignore: ['/*', `!/${manifests.path}/`].join('\n'),
    },
  });
  return new Kustomization(scope, `kustomization-${name}`, {
    metadata: { name, namespace: FLUX_NAMESPACE },
    spec: {
      interval: '1h',
      path: `./${manifests.path}`,
      prune: false, // CRDs: removing them would delete every custom resource
      wait: true,
      timeout: '5m',
      sourceRef: { kind: KustomizationSpecSourceRefKind.GIT_REPOSITORY, name },
    },
  });
}

/**
 * One Kustomization per folder (each waits for its objects to be ready), ordered by
 * `dependsOn`, plus the root GitRepository/Kustomization the bootstrap created (adopted) and the
 * Kustomization of the users' folder apps/<cluster>/ (same source; it waits for nothing, so an
 * unhealthy add-on never holds the users' applications back).
 * `folders` maps a folder under manifests/ to the folders it must follow.
 */
export function renderFluxKustomizations(scope: Chart, platform: Platform, folders: ReadonlyMap<string, readonly string[]>): void {
  const { model } = platform;
  const { root } = model.gitops;
  const sourceRef = { kind: KustomizationSpecSourceRefKind.GIT_REPOSITORY, name: GITOPS_BOOTSTRAP.flux.rootSource };
  if (root) {
    const source = fluxRootSourceSpec(model);
    new GitRepository(scope, 'root-source', {
      metadata: { name: GITOPS_BOOTSTRAP.flux.rootSource, namespace: FLUX_NAMESPACE },
      // The generated enum spells HEAD "head" (the CRD's backwards-compatible variant); the CRD's own spelling is kept.
      spec: { ...source, verify: source.verify && { ...source.verify, mode: source.verify.mode as GitRepositorySpecVerifyMode } },
    });
    new Kustomization(scope, 'root', {
      metadata: { name: GITOPS_BOOTSTRAP.flux.rootKustomization, namespace: FLUX_NAMESPACE },
      spec: { interval: '10m', path: `./${model.gitops.path}`, prune: true, sourceRef },
    });
    // SOPS-encrypted Secrets of the users' folder (addons.gitops.sops): only this Kustomization decrypts.
    const sops = fluxAppsDecryption(model);
    const decryption = sops ? { decryption: { provider: KustomizationSpecDecryptionProvider.SOPS, secretRef: sops.secretRef } } : {};
    // The users' folder is applied as a ServiceAccount with namespaced rights in "default" and the
    // tenant namespaces only (kustomize-controller impersonates it).
    renderFluxAppsIdentity(scope, platform);
    new Kustomization(scope, 'apps', {
      metadata: { name: APPS_NAME, namespace: FLUX_NAMESPACE },
      spec: {
        interval: '10m', path: `./${model.gitops.appsPath}`, prune: true, timeout: '10m', sourceRef,
        serviceAccountName: FLUX_APPS_SERVICE_ACCOUNT, ...decryption,
      },
    });
  }
  for (const [folder, after] of [...folders].sort(([a], [b]) => a.localeCompare(b))) {
    new Kustomization(scope, `folder-${folder}`, {
      metadata: { name: folder, namespace: FLUX_NAMESPACE },
      spec: {
        interval: '10m',
        path: `./${model.gitops.path}/${folder}`,
        prune: true,
        wait: true,
        timeout: '10m',
        sourceRef,
        dependsOn: [...after].sort().map((name) => ({ name })),
      },
    });
  }
}
