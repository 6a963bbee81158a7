/**
 * apps/<cluster>/README.md: written once, by the synth that finds no apps/<cluster>/ folder, so the
 * folder exists in Git (the engine cannot sync a path the repository does not have). The folder is
 * the users' from then on: synth never writes or deletes anything in it again.
 */
import { ARGOCD_APPS_PROJECT } from '../manifests/gitops/argocd';
import { FLUX_APPS_SERVICE_ACCOUNT } from '../manifests/gitops/flux';
import { APPS_NAME } from '../manifests/gitops/user-apps';
import type { ClusterModel } from '../spec';

export function renderAppsReadme(model: ClusterModel): string {
  const g = model.gitops;
  const engine = g.engine === 'flux'
    ? `Flux's Kustomization \`${APPS_NAME}\` (namespace flux-system) applies every YAML file below this folder (a \`kustomization.yaml\` here takes over the choice), with pruning.`
    : `Argo CD's Application \`${APPS_NAME}\` (namespace argocd, project ${ARGOCD_APPS_PROJECT}) applies every YAML file below this folder as plain manifests, with pruning and self-heal, after the platform add-ons (sync wave).`;
  const scope = g.engine === 'flux'
    ? `- Flux applies it as the ServiceAccount \`${FLUX_APPS_SERVICE_ACCOUNT}\` (flux-system), which may write into \`default\` and the tenant namespaces (\`addons.tenants\`) only.`
    : `- The project \`${ARGOCD_APPS_PROJECT}\` lets it write into any namespace but the platform's (and kube-system): no Application or AppProject of its own (the argocd namespace is the platform's).`;
  const kinds = g.appsClusterKinds.map((k) => k.kind);
  const clusterScoped = kinds.length > 0
    ? `- Cluster-scoped objects: only ${kinds.map((k) => `\`${k}\``).join(', ')} (\`addons.gitops.appsClusterKinds\`).`
    : '- No cluster-scoped object (Namespace, CRD, ClusterRole ...): namespaces come from `addons.tenants`; `addons.gitops.appsClusterKinds` grants kinds.';
  return [
    `# Your applications on cluster \`${model.name}\``,
    '',
    `This folder is yours. \`npm run synth\` created it once because it was missing and never writes or`,
    `deletes anything here again (everything under \`dist/${model.name}/\` is generated and replaced on every`,
    `synth: do not put your files there).`,
    '',
    `The GitOps root of the cluster syncs \`${g.path}\`, which holds the object that syncs this folder`,
    `from the same repository and revision: ${engine}`,
    '',
    '- Give every namespaced object its `metadata.namespace`.',
    scope,
    clusterScoped,
    '- Commit and push: the engine picks the change up at its next poll (a few minutes).',
    '- Removing a file removes its objects from the cluster.',
    '- Secrets never go into Git in clear text: create them with kubectl, or with Flux and `addons.gitops.sops` commit them',
    '  encrypted with sops (`dist/' + model.name + '/SECRETS.md` shows both).',
    '',
  ].join('\n');
}
