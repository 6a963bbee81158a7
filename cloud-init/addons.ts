/**
 * Add-ons the first control plane installs before GitOps can run: Cilium (values shared with the
 * GitOps release) and, when the spec names a repository, the GitOps engine and its root application.
 */
import { toYaml } from '../format/yaml';
import { ciliumValues } from '../manifests/values/cilium';
import type { ClusterModel } from '../spec';
import { GITOPS_BOOTSTRAP, gitopsPath } from './facts';

/** Cilium Helm values file: exactly ciliumValues(model). */
export function renderCiliumValues(model: ClusterModel): string {
  return toYaml(ciliumValues(model));
}

/** The GitOps engine the bootstrap installs, or undefined when there is none (engine none, or no repoUrl). */
export function gitopsEngine(model: ClusterModel): 'argocd' | 'flux' | undefined {
  const g = model.spec.addons.gitops;
  return g.engine !== 'none' && g.repoUrl ? g.engine : undefined;
}

function fluxRef(revision: string): Record<string, string> {
  return /^[0-9a-f]{40}$/.test(revision) ? { commit: revision } : { branch: revision };
}

/** Root application(s) pointing the engine at dist/<cluster>/manifests; undefined without an engine. */
export function renderGitopsRoot(model: ClusterModel): string | undefined {
  const engine = gitopsEngine(model);
  const g = model.spec.addons.gitops;
  if (!engine || !g.repoUrl) return undefined;
  const path = gitopsPath(model);
  if (engine === 'argocd') {
    const a = GITOPS_BOOTSTRAP.argocd;
    return toYaml({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: a.rootApplication, namespace: a.namespace },
      spec: {
        project: 'default',
        source: { repoURL: g.repoUrl, targetRevision: g.revision, path, directory: { recurse: true } },
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
      spec: { interval: '5m', url: g.repoUrl, ref: fluxRef(g.revision) },
    }),
    toYaml({
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: f.rootKustomization, namespace: f.namespace },
      spec: { interval: '10m', path: `./${path}`, prune: true, sourceRef: { kind: 'GitRepository', name: f.rootSource } },
    }),
  ].join('---\n');
}
