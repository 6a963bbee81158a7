/**
 * Add-ons the first control plane installs before GitOps can run: Cilium (values shared with the
 * GitOps release) and, when the spec names a repository, the GitOps engine and its root application.
 */
import { toYaml } from '../format/yaml';
import { argoCdRepositoryValues, ciliumValues, fluxRootSourceSpec, GITOPS_BOOTSTRAP } from '../facts';
import type { ClusterModel } from '../spec';

/** Cilium Helm values file: exactly ciliumValues(model). */
export function renderCiliumValues(model: ClusterModel): string {
  return toYaml(ciliumValues(model));
}

/**
 * Helm values of the bootstrap's Argo CD install beyond the chart's defaults: the Git server's SSH
 * host keys of a private repository (the GitOps release of Argo CD sets the same, so adopting the
 * install changes nothing). Undefined when there is nothing to add.
 */
export function renderArgoCdBootstrapValues(model: ClusterModel): string | undefined {
  const values = argoCdRepositoryValues(model);
  return values ? toYaml(values) : undefined;
}

/** Root application(s) pointing the engine at dist/<cluster>/manifests; undefined without an engine. */
export function renderGitopsRoot(model: ClusterModel): string | undefined {
  const { bootstrap: engine, root } = model.gitops;
  if (!engine || !root) return undefined;
  if (engine === 'argocd') {
    const a = GITOPS_BOOTSTRAP.argocd;
    return toYaml({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: a.rootApplication, namespace: a.namespace },
      spec: {
        project: 'default',
        source: { repoURL: root.repoUrl, targetRevision: root.revision.name, path: model.gitops.path, directory: { recurse: true } },
        destination: { server: 'https://kubernetes.default.svc', namespace: a.namespace },
        syncPolicy: {
          automated: { prune: true, selfHeal: true },
          syncOptions: ['CreateNamespace=true', 'ServerSideApply=true'],
        },
      },
    });
  }
  const f = GITOPS_BOOTSTRAP.flux;
  return [
    toYaml({
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      metadata: { name: f.rootSource, namespace: f.namespace },
      spec: fluxRootSourceSpec(model),
    }),
    toYaml({
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: f.rootKustomization, namespace: f.namespace },
      spec: { interval: '10m', path: `./${model.gitops.path}`, prune: true, sourceRef: { kind: 'GitRepository', name: f.rootSource } },
    }),
  ].join('---\n');
}
