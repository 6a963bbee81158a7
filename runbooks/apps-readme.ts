/**
 * apps/<cluster>/README.md: written once, by the synth that finds no apps/<cluster>/ folder, so the
 * folder exists in Git (the engine cannot sync a path the repository does not have). The folder is
 * the users' from then on: synth never writes or deletes anything in it again.
 */
import { APPS_NAME } from '../manifests/gitops/user-apps';
import type { ClusterModel } from '../spec';

export function renderAppsReadme(model: ClusterModel): string {
  const g = model.gitops;
  const engine = g.engine === 'flux'
    ? `Flux's Kustomization \`${APPS_NAME}\` (namespace flux-system) applies every YAML file below this folder (a \`kustomization.yaml\` here takes over the choice), with pruning.`
    : `Argo CD's Application \`${APPS_NAME}\` (namespace argocd, project platform) applies every YAML file below this folder as plain manifests, with pruning and self-heal, after the platform add-ons (sync wave). It may hold your own Applications and AppProjects (app of apps).`;
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
    '- Give every namespaced object its `metadata.namespace` and create your namespaces here too.',
    '- Commit and push: the engine picks the change up at its next poll (a few minutes).',
    '- Removing a file removes its objects from the cluster.',
    '- Secrets never go into Git in clear text: create them with kubectl, or with Flux and `addons.gitops.sops` commit them',
    '  encrypted with sops (`dist/' + model.name + '/SECRETS.md` shows both).',
    '',
  ].join('\n');
}
