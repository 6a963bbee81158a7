/** addons.gitops.sops: only Flux decrypts, from the root's repository, with a key Secret of its own. */
import type { ClusterSpec } from '../schema';
import { repeats, type Report } from './report';

const PATH = ['addons', 'gitops', 'sops'] as const;

export function sopsRules(spec: ClusterSpec, report: Report): void {
  const g = spec.addons.gitops;
  const s = g.sops;
  if (!s) return;
  if (g.repoUrl === undefined) {
    report.error([...PATH], 'SOPS decryption needs addons.gitops.repoUrl: the root\'s Kustomization of apps/<name>/ is what decrypts', s);
    return;
  }
  if (g.engine === 'argocd') {
    report.error([...PATH], 'Argo CD has no native SOPS decryption and pve-k8s installs no plugin for it: use engine flux, or create Secrets with kubectl (dist/<name>/SECRETS.md) or External Secrets', s);
  }
  if (g.engine === 'none') report.warn([...PATH], 'engine "none": nothing decrypts; no .sops.yaml is written', s);
  for (const { value, index } of repeats(s.ageRecipients)) {
    report.error([...PATH, 'ageRecipients', index], 'listed twice', value);
  }
  if (g.credentials && g.credentials.secretName === s.secretName) {
    report.error([...PATH, 'secretName'], `the repository credentials already use Secret "${s.secretName}"; the age key needs its own`, s.secretName);
  }
}
