/**
 * OPERATIONS.md "GitOps trust": who can change the cluster through Git and Argo CD, what synth
 * enforces (projects, the users' folder identity, single sign-on, the ingress allowlist, signed
 * commits) and what only the Git server can (branch protection). Pure: model in, Markdown out.
 */
import { ARGOCD_APPS_PROJECT, ARGOCD_PROJECT } from '../manifests/gitops/argocd';
import { FLUX_APPS_SERVICE_ACCOUNT } from '../manifests/gitops/flux';
import type { ClusterModel } from '../spec';
import { sh } from './markdown';

export function gitopsTrustSection(model: ClusterModel): string[] {
  const g = model.gitops;
  const lines = ['## GitOps trust', ''];
  if (!g.root || !g.bootstrap) {
    return [...lines, 'No GitOps repository (`addons.gitops.repoUrl`) or engine: whoever applies `dist/` decides what runs.', ''];
  }
  const branch = g.root.revision.kind === 'branch' ? `\`${g.root.revision.name}\`` : `the branch you move \`${g.root.revision.name}\` from`;
  lines.push(
    `Whoever can push to ${branch} of \`${g.root.repoUrl}\` changes the cluster: \`${g.path}\` holds the`,
    'platform (add-ons with their RBAC, CRDs and webhooks, ClusterRoleBindings included), so a push there is as',
    'strong as cluster-admin: the projects below keep the users\' folder and a mistake in scope, they cannot make',
    'the platform folder harmless. What synth enforces on the cluster:',
    '',
  );
  if (g.bootstrap === 'argocd') {
    lines.push(
      `- Project \`${ARGOCD_PROJECT}\` (root and add-ons): only the namespaces and cluster-scoped kinds the add-ons render`,
      '  (derived from the rendered objects and each chart\'s declared footprint, `manifests/gitops/chart-footprint.ts`).',
      `- Project \`${ARGOCD_APPS_PROJECT}\` (\`${g.appsPath}\`): any namespace but the platform's and kube-system, no cluster-scoped`,
      `  kind${g.appsClusterKinds.length > 0 ? ` but ${g.appsClusterKinds.map((k) => `\`${k.kind}\``).join(', ')}` : ''}, no Application or AppProject of its own.`,
    );
    const a = g.argocd!;
    lines.push(a.oidc
      ? `- Sign-in: single sign-on at \`${a.oidc.issuer}\` (client \`${a.oidc.clientId}\`); the local admin is disabled; everyone signed in is readonly${a.oidc.adminGroups.length > 0 ? `, the groups ${a.oidc.adminGroups.map((x) => `\`${x}\``).join(', ')} admin` : ''}.`
      : '- Sign-in: the **local admin** (password in `argocd/argocd-initial-admin-secret`): set `addons.gitops.argocd.oidc` to replace it by single sign-on; until then delete that Secret once you changed the password.');
    lines.push(a.ingressAllowlist.length > 0
      ? (model.ingress.kind === 'gateway-api'
        ? `- Network: the Gateway API option has no client allowlist: the UI is reachable from every client that reaches the ingress IP (\`${a.ingressAllowlist.join(', ')}\` is not enforced).`
        : `- Network: the ingress controller admits only ${a.ingressAllowlist.map((c) => `\`${c}\``).join(', ')} to the UI/API (client addresses are kept: externalTrafficPolicy Local). The Proxmox firewall does not see HTTP(S) to the MetalLB range: this is the only filter.`)
      : '- Network: the UI/API is open to every client that reaches the ingress IP (set `addons.gitops.argocd.ingressAllowlist` or `proxmox.firewall.adminCidr`).');
  } else {
    lines.push(
      `- \`${g.appsPath}\` is applied as the ServiceAccount \`flux-system/${FLUX_APPS_SERVICE_ACCOUNT}\` (impersonation): \`admin\` in \`default\` and the`,
      `  tenant namespaces only${g.appsClusterKinds.length > 0 ? `, plus ${g.appsClusterKinds.map((k) => `\`${k.kind}\``).join(', ')}` : ', no cluster-scoped kind'}. The platform Kustomizations run as the controller (cluster-admin).`,
    );
  }
  const s = g.commitSigning;
  lines.push(s
    ? `- Signed commits: only a revision signed by ${s.keyIds.map((k) => `\`${k}\``).join(', ')} syncs (${g.bootstrap === 'argocd' ? 'both projects\' `signatureKeys`' : `the root GitRepository verifies HEAD with the Secret \`flux-system/${s.publicKeysSecret}\``}).`
    : '- Signed commits: not required (`addons.gitops.commitSigning`): any commit at the revision syncs.');
  lines.push(
    '',
    'What only the Git server enforces, set it up there: protect the branch (no force push, no deletion, changes',
    'through reviewed merge requests, at least one approval other than the author, required CI: `npm test`, a',
    'fresh synth equal to the committed `dist/`), restrict who may push and merge, require signed commits, and',
    'give the cluster a read-only deploy key.',
    '',
  );
  if (s && g.bootstrap === 'argocd') {
    lines.push(
      'Argo CD checks signatures against its GnuPG keyring: import each key (public) once, with the admin',
      'kubeconfig or a signed-in admin. Merges made by the Git server must be signed by a listed key too (or merge',
      'with fast-forward only).',
      '',
      ...sh(...s.keyIds.map((id) => `gpg --export --armor ${id} > ${id}.asc && argocd gpg add --from ${id}.asc`)),
    );
  }
  return lines;
}
