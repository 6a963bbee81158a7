/** addons.gitops.argocd and addons.gitops.commitSigning: who may sign in, from where, and which commits sync. */
import type { ClusterSpec } from '../schema';
import { repeats, type Report } from './report';

const ARGOCD = ['addons', 'gitops', 'argocd'] as const;
const SIGNING = ['addons', 'gitops', 'commitSigning'] as const;

export function gitopsTrustRules(spec: ClusterSpec, report: Report): void {
  const g = spec.addons.gitops;
  const a = g.argocd;
  if (g.engine !== 'argocd') {
    if (a.oidc) report.error([...ARGOCD, 'oidc'], `engine "${g.engine}": no Argo CD to sign in to (only with engine argocd)`, a.oidc);
    if (a.ingressAllowlist) report.error([...ARGOCD, 'ingressAllowlist'], `engine "${g.engine}": no Argo CD ingress (only with engine argocd)`, a.ingressAllowlist);
  } else {
    const allowlist = a.ingressAllowlist ?? (spec.proxmox.firewall.adminCidr ? [spec.proxmox.firewall.adminCidr] : undefined);
    if (allowlist && spec.addons.ingress.controller === 'gateway-api') {
      report.warn([...ARGOCD, 'ingressAllowlist'], 'the Gateway API option has no client allowlist: the Argo CD route stays open to every client (sign-in still required)', allowlist);
    }
    for (const { value, index } of repeats(a.ingressAllowlist ?? [])) report.error([...ARGOCD, 'ingressAllowlist', index], 'listed twice', value);
    for (const { value, index } of repeats(a.oidc?.adminGroups ?? [])) report.error([...ARGOCD, 'oidc', 'adminGroups', index], 'listed twice', value);
    if (a.oidc && g.credentials && g.credentials.secretName === a.oidc.clientSecretRef) {
      report.error([...ARGOCD, 'oidc', 'clientSecretRef'], `the repository credentials already use Secret "${a.oidc.clientSecretRef}"; the OIDC client secret needs its own`, a.oidc.clientSecretRef);
    }
  }
  const s = g.commitSigning;
  if (!s) return;
  if (g.repoUrl === undefined) {
    report.error([...SIGNING], 'signed commits are checked on the root\'s repository: set addons.gitops.repoUrl', s);
    return;
  }
  if (g.engine === 'none') report.warn([...SIGNING], 'engine "none": nothing checks the signatures', s);
  for (const { value, index } of repeats(s.keyIds)) report.error([...SIGNING, 'keyIds', index], 'listed twice', value);
  if (g.engine === 'flux' && g.credentials && g.credentials.secretName === s.publicKeysSecret) {
    report.error([...SIGNING, 'publicKeysSecret'], `the repository credentials already use Secret "${s.publicKeysSecret}"; the public keys need their own`, s.publicKeysSecret);
  }
}
